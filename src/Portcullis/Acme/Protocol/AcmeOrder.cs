using System.Text.Json.Serialization;

namespace Portcullis.Acme.Protocol;

/// <summary>An order object (RFC 8555 §7.1.3) and its URL (the Location of newOrder).</summary>
internal sealed record AcmeOrder
{
    public string Status { get; init; } = "";

    public string? Expires { get; init; }

    public IReadOnlyList<AcmeIdentifier> Identifiers { get; init; } = [];

    public IReadOnlyList<Uri> Authorizations { get; init; } = [];

    public Uri? Finalize { get; init; }

    public Uri? Certificate { get; init; }

    public AcmeProblem? Error { get; init; }

    /// <summary>The certificate this order replaces (RFC 9773 §5), echoed by CAs that support ARI.</summary>
    public string? Replaces { get; init; }

    [JsonIgnore]
    public Uri Url { get; init; } = AcmeResource.NoUrl;

    /// <summary>How long the CA asked us to wait before polling again (RFC 8555 §7.4, Retry-After).</summary>
    [JsonIgnore]
    public TimeSpan? RetryAfter { get; init; }
}
