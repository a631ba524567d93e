using System.Net;

namespace Portcullis.Acme.Protocol;

/// <summary>An identifier object (RFC 8555 §9.7.7): "dns" names, or "ip" addresses (RFC 8738).</summary>
internal sealed record AcmeIdentifier
{
    public string Type { get; init; } = "";

    public string Value { get; init; } = "";

    /// <summary>An IP literal becomes an "ip" identifier (RFC 8738 §3), anything else a lower-cased "dns" name.</summary>
    public static AcmeIdentifier For(string host)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var trimmed = host.Trim();
        return IPAddress.TryParse(trimmed, out var address)
            ? new AcmeIdentifier { Type = "ip", Value = address.ToString() }
            : new AcmeIdentifier { Type = "dns", Value = trimmed.TrimEnd('.').ToLowerInvariant() };
    }

    public override string ToString() => $"{Type}:{Value}";
}
