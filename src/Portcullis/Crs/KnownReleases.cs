namespace Portcullis.Crs;

/// <summary>
/// SHA-256 digests of CRS release archives that Portcullis vouches for, so <c>portcullis crs fetch</c> can verify a
/// download without <c>--sha256</c>. Only digests computed from an archive we actually downloaded belong here: a
/// guessed or copied digest would make the check worthless. The table is empty for now because the build machines
/// have no route to GitHub; until an entry is added, the command requires <c>--sha256</c> (taken from the CRS release
/// page or computed with <c>sha256sum</c> on a trusted copy).
/// </summary>
internal static class KnownReleases
{
    private static readonly Dictionary<string, string> Digests = new(StringComparer.Ordinal)
    {
        // "4.28.0" => "<sha256 of coreruleset-4.28.0 .tar.gz as GitHub serves it>", once verified.
    };

    /// <summary>The digest of <paramref name="version"/>'s GitHub release tarball, or null when we have none.</summary>
    public static string? Sha256(string version) => Digests.GetValueOrDefault(version);
}
