using System.Text.Json.Serialization;

namespace Portcullis.Acme.Protocol;

/// <summary>Wire form of the renewalInfo response (RFC 9773 §4.2).</summary>
internal sealed record RenewalInfoResponse
{
    public SuggestedWindow? SuggestedWindow { get; init; }

    [JsonPropertyName("explanationURL")]
    public string? ExplanationUrl { get; init; }
}

internal sealed record SuggestedWindow
{
    public string? Start { get; init; }

    public string? End { get; init; }
}
