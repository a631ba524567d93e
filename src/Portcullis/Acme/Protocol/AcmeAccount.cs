using System.Text.Json.Serialization;

namespace Portcullis.Acme.Protocol;

/// <summary>An account object (RFC 8555 §7.1.2) and its URL, which later requests carry as "kid".</summary>
internal sealed record AcmeAccount
{
    public string Status { get; init; } = "";

    public IReadOnlyList<string>? Contact { get; init; }

    public Uri? Orders { get; init; }

    [JsonIgnore]
    public Uri Url { get; init; } = AcmeResource.NoUrl;

    /// <summary>True when this request created the account (201), false when the key already had one (200, RFC 8555 §7.3.1).</summary>
    [JsonIgnore]
    public bool Created { get; init; }
}
