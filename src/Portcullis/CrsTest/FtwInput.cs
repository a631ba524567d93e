namespace Portcullis.CrsTest;

/// <summary>
/// <c>stage.input</c> of a go-ftw test (schema v2.3.0). Absent fields stay null; the <c>Effective*</c> members apply
/// go-ftw's defaults (<c>test/defaults.go</c>: GET, "/", HTTP/1.1, http, localhost, 80).
/// </summary>
internal sealed record FtwInput
{
    public string? DestAddr { get; init; }

    public int? Port { get; init; }

    public string? Protocol { get; init; }

    public string? Uri { get; init; }

    public string? Version { get; init; }

    public string? Method { get; init; }

    /// <summary>
    /// The headers in the order go-ftw writes them: a <c>headers</c> map is sorted by name (go-ftw builds its header
    /// list from a Go map with <c>NewHeaderFromMap</c>, which sorts the keys so the output is deterministic);
    /// <c>ordered_headers</c> keep the order and repetitions the test wrote.
    /// </summary>
    public IReadOnlyList<FtwHeader> Headers { get; init; } = [];

    /// <summary><c>data</c> after its Go template (<c>{{ "1" | repeat N }}</c>) was expanded; sent as UTF-8.</summary>
    public string? Data { get; init; }

    /// <summary><c>encoded_data</c>, base64-decoded; used only when <see cref="Data"/> is absent (go-ftw's GetData).</summary>
    public byte[]? EncodedData { get; init; }

    /// <summary><c>autocomplete_headers</c>, or the inverse of the deprecated <c>stop_magic</c>; true by default.</summary>
    public bool AutocompleteHeaders { get; init; } = true;

    /// <summary><c>encoded_request</c>, base64-decoded: the exact bytes to send; every other field is then ignored.</summary>
    public byte[]? EncodedRequest { get; init; }

    /// <summary>Parsed for completeness; go-ftw's client keeps a cookie jar but never sends from it, so neither do we.</summary>
    public bool SaveCookie { get; init; }

    /// <summary>Only changes the Host of go-ftw's log-marker requests; we read log lines per request, without markers.</summary>
    public bool VirtualHostMode { get; init; }

    public bool FollowRedirect { get; init; }

    public FtwBackendResponse? Response { get; init; }

    public string EffectiveMethod => Method ?? "GET";

    public string EffectiveUri => Uri ?? "/";

    public string EffectiveVersion => Version ?? "HTTP/1.1";

    public string EffectiveProtocol => Protocol ?? "http";

    public string EffectiveDestAddr => DestAddr ?? "localhost";

    public int EffectivePort => Port ?? 80;
}
