using System.Text.Json.Serialization;

namespace Portcullis.Acme.Protocol;

/// <summary>An authorization object (RFC 8555 §7.1.4) and its URL.</summary>
internal sealed record AcmeAuthorization
{
    public AcmeIdentifier Identifier { get; init; } = new();

    public string Status { get; init; } = "";

    public string? Expires { get; init; }

    public IReadOnlyList<AcmeChallenge> Challenges { get; init; } = [];

    public bool Wildcard { get; init; }

    [JsonIgnore]
    public Uri Url { get; init; } = AcmeResource.NoUrl;

    [JsonIgnore]
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The most telling problem of a failed authorization: a challenge's error (RFC 8555 §7.1.5).</summary>
    public AcmeProblem? FindError() => Challenges.FirstOrDefault(c => c.Error is not null)?.Error;
}
