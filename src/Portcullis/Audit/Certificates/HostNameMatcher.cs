using System.Net;

namespace Portcullis.Audit.Certificates;

/// <summary>
/// Does a certificate cover the audited name? RFC 6125 §6.4: DNS names compare case-insensitively, label by label; a
/// wildcard is allowed only as the whole left-most label and matches exactly one label (§6.4.3, as browsers apply it:
/// not "f*o.example.com", not "*.com", never an IP address). An IP target matches only an iPAddress SAN (RFC 2818
/// §3.1). The subject CN is consulted only when the certificate has no SAN at all (RFC 6125 §6.4.4).
/// </summary>
internal static class HostNameMatcher
{
    public static bool Matches(IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> ipAddresses, string? commonName, string target)
    {
        var host = target.Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip))
        {
            return ipAddresses.Any(a => a.Equals(ip));
        }
        host = host.TrimEnd('.');
        IEnumerable<string> candidates = dnsNames.Count > 0 || ipAddresses.Count > 0 ? dnsNames : commonName is null ? [] : [commonName];
        return candidates.Any(name => MatchesName(name.TrimEnd('.'), host));
    }

    private static bool MatchesName(string presented, string host)
    {
        if (presented.Length == 0 || host.Length == 0)
        {
            return false;
        }
        if (!presented.StartsWith("*.", StringComparison.Ordinal))
        {
            return !presented.Contains('*', StringComparison.Ordinal) && string.Equals(presented, host, StringComparison.OrdinalIgnoreCase);
        }
        var suffix = presented[1..]; // ".example.com"
        // At least two labels after the wildcard: "*.com" would cover a whole top-level domain.
        if (suffix.Count(c => c == '.') < 2 || suffix.Contains('*', StringComparison.Ordinal))
        {
            return false;
        }
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && string.Equals(host[dot..], suffix, StringComparison.OrdinalIgnoreCase);
    }
}
