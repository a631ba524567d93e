using System.Text.RegularExpressions;

namespace Portcullis.Audit.Http;

/// <summary>
/// A piece of software a response names in a banner header (RFC 9110 §10.2.4 product tokens: <c>nginx/1.22.1</c>,
/// <c>Apache/2.4.57 (Debian) OpenSSL/3.0.11</c>, <c>PHP/8.1.2</c>), with its version when given.
/// </summary>
internal sealed partial record Banner(string Header, string Product, string? VersionText, Version? Version, EndOfLifeRow? EndOfLife)
{
    /// <summary>Headers that exist only to name software (testssl.sh and the Observatory report them).</summary>
    public static readonly string[] Headers = ["Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version", "X-Generator", "X-Runtime", "X-Version"];

    public static IReadOnlyList<Banner> Read(HeaderList headers, DateOnly today)
    {
        var banners = new List<Banner>();
        foreach (var header in Headers)
        {
            foreach (var value in headers.All(header).Take(4))
            {
                if (header.StartsWith("X-AspNet", StringComparison.OrdinalIgnoreCase))
                {
                    // These carry a bare version ("4.0.30319"); the header name is the product.
                    banners.Add(Make(header, header.ToLowerInvariant(), value.Trim(), today));
                    continue;
                }
                var tokens = ProductToken().Matches(Comment().Replace(value, " ")).Take(8).ToList();
                if (tokens.Count == 0 && value.Trim().Length > 0)
                {
                    banners.Add(new Banner(header, value.Trim(), null, null, null));
                }
                banners.AddRange(tokens.Select(m => Make(header, m.Groups["product"].Value, m.Groups["version"].Success ? m.Groups["version"].Value : null, today)));
            }
        }
        return banners;
    }

    private static Banner Make(string header, string product, string? versionText, DateOnly today)
    {
        var version = ParseVersion(versionText);
        var eol = version is null ? null : EndOfLifeTable.Find(product, version, today);
        return new Banner(header, product, versionText, version, eol);
    }

    /// <summary>The leading digits-and-dots of a version ("3.0.11-1~deb12u2" → 3.0.11; "1.1.1w" → 1.1.1).</summary>
    private static Version? ParseVersion(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var m = LeadingVersion().Match(text);
        return m.Success && Version.TryParse(m.Value.Contains('.', StringComparison.Ordinal) ? m.Value : m.Value + ".0", out var v) ? v : null;
    }

    [GeneratedRegex(@"(?<product>[A-Za-z][A-Za-z0-9_.+-]{0,63})(?:/(?<version>[^\s/]{1,64}))?", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 500)]
    private static partial Regex ProductToken();

    [GeneratedRegex(@"\([^)]{0,256}\)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 500)]
    private static partial Regex Comment();

    [GeneratedRegex(@"^\d{1,6}(?:\.\d{1,6}){0,3}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 500)]
    private static partial Regex LeadingVersion();
}
