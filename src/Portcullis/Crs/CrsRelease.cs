using System.Text.RegularExpressions;

namespace Portcullis.Crs;

/// <summary>Where a CRS release comes from by default, and which version strings are accepted.</summary>
internal static partial class CrsRelease
{
    /// <summary>The version this build of Portcullis is tested against (shared/crs/VERSION).</summary>
    public const string DefaultVersion = "4.28.0";

    /// <summary>
    /// GitHub's archive of the release tag: the same tree as the release, with one top folder
    /// <c>coreruleset-{version}/</c>.
    /// </summary>
    public static Uri DefaultSource(string version) =>
        new($"https://github.com/coreruleset/coreruleset/archive/refs/tags/v{version}.tar.gz");

    /// <summary>Digits and dots only (4.28.0, 4.28.0-rc1 is allowed too): the version goes into a URL.</summary>
    public static bool IsValidVersion(string version) => VersionPattern().IsMatch(version);

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+(-[A-Za-z0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
