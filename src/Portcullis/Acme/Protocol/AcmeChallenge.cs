namespace Portcullis.Acme.Protocol;

/// <summary>A challenge object (RFC 8555 §7.1.5, §8): "http-01" (§8.3), "tls-alpn-01" (RFC 8737), ...</summary>
internal sealed record AcmeChallenge
{
    public string Type { get; init; } = "";

    public Uri Url { get; init; } = AcmeResource.NoUrl;

    public string Status { get; init; } = "";

    public string? Token { get; init; }

    public string? Validated { get; init; }

    public AcmeProblem? Error { get; init; }
}
