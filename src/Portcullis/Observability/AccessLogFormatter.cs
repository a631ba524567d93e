using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Portcullis.Observability;

/// <summary>
/// Writes one <see cref="RequestEvent"/> as one flat JSON object with Elastic Common Schema (ECS 8.x) dotted field
/// names, so Filebeat/Elastic Agent, Loki or Vector ingest the access log without a parsing pipeline.
/// Runs once per request on the log writer's loop: property names are pre-encoded and values are formatted into
/// stack buffers, so a line costs no allocation beyond the output buffer.
/// </summary>
internal static class AccessLogFormatter
{
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("@timestamp");
    private static readonly JsonEncodedText ClientIp = JsonEncodedText.Encode("client.ip");
    private static readonly JsonEncodedText ClientPort = JsonEncodedText.Encode("client.port");
    private static readonly JsonEncodedText SourceIp = JsonEncodedText.Encode("source.ip");
    private static readonly JsonEncodedText Method = JsonEncodedText.Encode("http.request.method");
    private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("http.request.id");
    private static readonly JsonEncodedText HttpVersion = JsonEncodedText.Encode("http.version");
    private static readonly JsonEncodedText UrlScheme = JsonEncodedText.Encode("url.scheme");
    private static readonly JsonEncodedText UrlDomain = JsonEncodedText.Encode("url.domain");
    private static readonly JsonEncodedText UrlPath = JsonEncodedText.Encode("url.path");
    private static readonly JsonEncodedText UrlQuery = JsonEncodedText.Encode("url.query");
    private static readonly JsonEncodedText StatusCode = JsonEncodedText.Encode("http.response.status_code");
    private static readonly JsonEncodedText RequestBytes = JsonEncodedText.Encode("http.request.body.bytes");
    private static readonly JsonEncodedText ResponseBytes = JsonEncodedText.Encode("http.response.body.bytes");
    private static readonly JsonEncodedText Duration = JsonEncodedText.Encode("event.duration");
    private static readonly JsonEncodedText UserAgent = JsonEncodedText.Encode("user_agent.original");
    private static readonly JsonEncodedText Referrer = JsonEncodedText.Encode("http.request.referrer");
    private static readonly JsonEncodedText TlsVersion = JsonEncodedText.Encode("tls.version");
    private static readonly JsonEncodedText TlsVersionProtocol = JsonEncodedText.Encode("tls.version_protocol");
    private static readonly JsonEncodedText TlsServerName = JsonEncodedText.Encode("tls.client.server_name");
    private static readonly JsonEncodedText Site = JsonEncodedText.Encode("portcullis.site");
    private static readonly JsonEncodedText Route = JsonEncodedText.Encode("portcullis.route");
    private static readonly JsonEncodedText Upstream = JsonEncodedText.Encode("portcullis.upstream");
    private static readonly JsonEncodedText UpstreamDuration = JsonEncodedText.Encode("portcullis.upstream_duration_ms");
    private static readonly JsonEncodedText EventOutcome = JsonEncodedText.Encode("event.outcome");
    private static readonly JsonEncodedText Outcome = JsonEncodedText.Encode("portcullis.outcome");
    private static readonly JsonEncodedText Limit = JsonEncodedText.Encode("portcullis.limit");
    private static readonly JsonEncodedText ErrorMessage = JsonEncodedText.Encode("error.message");
    private static readonly JsonEncodedText Success = JsonEncodedText.Encode("success");
    private static readonly JsonEncodedText Failure = JsonEncodedText.Encode("failure");
    private static readonly JsonEncodedText Tls = JsonEncodedText.Encode("tls");
    private static readonly JsonEncodedText Challenge = JsonEncodedText.Encode("portcullis.challenge");
    private static readonly JsonEncodedText ChallengeReason = JsonEncodedText.Encode("portcullis.challenge_reason");

    /// <summary>Writes the event as one complete JSON object; the caller flushes the writer.</summary>
    public static void Write(Utf8JsonWriter writer, RequestEvent e)
    {
        writer.WriteStartObject();
        WriteFields(writer, e);
        writer.WriteEndObject();
    }

    /// <summary>The request's fields, inside an object the caller opened (the security log adds its own after them).</summary>
    public static void WriteFields(Utf8JsonWriter writer, RequestEvent e)
    {

        // ECS wants an ISO 8601 UTC date; milliseconds are what Elasticsearch's default date type keeps.
        Span<byte> timestamp = stackalloc byte[32];
        e.Timestamp.UtcDateTime.TryFormat(timestamp, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString(Timestamp, timestamp[..written]);

        WriteIp(writer, ClientIp, e.ClientIp);
        if (e.ClientPort > 0)
            writer.WriteNumber(ClientPort, e.ClientPort);
        WriteIp(writer, SourceIp, e.PeerIp);

        WriteOptional(writer, Method, e.Method);
        WriteOptional(writer, RequestId, e.RequestId);
        var protocol = e.Protocol.AsSpan();
        if (protocol.StartsWith("HTTP/", StringComparison.Ordinal))
            protocol = protocol[5..];
        if (!protocol.IsEmpty)
            writer.WriteString(HttpVersion, protocol);

        WriteOptional(writer, UrlScheme, e.Scheme);
        WriteOptional(writer, UrlDomain, e.Host);
        WriteOptional(writer, UrlPath, e.Path);
        WriteOptional(writer, UrlQuery, e.Query);

        writer.WriteNumber(StatusCode, e.StatusCode);
        writer.WriteNumber(RequestBytes, e.BytesIn);
        writer.WriteNumber(ResponseBytes, e.BytesOut);
        // ECS event.duration is in nanoseconds.
        writer.WriteNumber(Duration, e.Duration.Ticks * TimeSpan.NanosecondsPerTick);

        WriteOptional(writer, UserAgent, e.UserAgent);
        WriteOptional(writer, Referrer, e.Referrer);
        WriteTlsVersion(writer, e.TlsProtocol);
        WriteOptional(writer, TlsServerName, e.TlsServerName);

        WriteOptional(writer, Site, e.Site);
        WriteOptional(writer, Route, e.Route);
        WriteOptional(writer, Upstream, e.Upstream);
        if (e.UpstreamDuration is { } upstreamDuration)
            writer.WriteNumber(UpstreamDuration, upstreamDuration.TotalMilliseconds);

        // ECS: "failure" is the server failing the request; a 4xx is the client's problem, so still a success.
        writer.WriteString(EventOutcome, e.StatusCode < 500 ? Success : Failure);
        WriteOptional(writer, Outcome, e.Outcome);
        WriteOptional(writer, Limit, e.Limit);
        WriteOptional(writer, ErrorMessage, e.Error);
        WriteOptional(writer, Challenge, e.Challenge);
        WriteOptional(writer, ChallengeReason, e.ChallengeReason);
        if (e.Waf is { } waf)
        {
            Firewall.SecurityLogFormatter.WriteSummary(writer, waf);
        }
    }

    /// <summary>The event as UTF-8 JSON (no trailing newline). Allocates; meant for tests and diagnostics.</summary>
    public static byte[] Format(RequestEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, e);
        }

        return buffer.WrittenSpan.ToArray();
    }

    // Empty strings are the RequestEvent's "not set" for its non-nullable fields; an empty field tells a reader nothing.
    private static void WriteOptional(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
            writer.WriteString(name, value);
    }

    private static void WriteIp(Utf8JsonWriter writer, JsonEncodedText name, IPAddress? address)
    {
        if (address is null)
            return;

        // 45 characters is the longest IPv6 text form; the rest leaves room for a scope id.
        Span<byte> text = stackalloc byte[64];
        if (address.TryFormat(text, out var written))
            writer.WriteString(name, text[..written]);
        else
            writer.WriteString(name, address.ToString());
    }

    // ECS splits "TLS 1.3" into tls.version_protocol "tls" and tls.version "1.3". Accepted: the bare version
    // (what RequestTrackingMiddleware records), SslProtocols names and OpenSSL names; anything else is logged
    // as given rather than guessed at.
    private static void WriteTlsVersion(Utf8JsonWriter writer, string? protocol)
    {
        if (string.IsNullOrEmpty(protocol))
            return;

        var version = protocol switch
        {
            "1.3" or "Tls13" or "TLSv1.3" => "1.3",
            "1.2" or "Tls12" or "TLSv1.2" => "1.2",
            "1.1" or "Tls11" or "TLSv1.1" => "1.1",
            "1.0" or "Tls" or "TLSv1" => "1.0",
            _ => null,
        };

        if (version is null)
        {
            writer.WriteString(TlsVersion, protocol);
            return;
        }

        writer.WriteString(TlsVersion, version);
        writer.WriteString(TlsVersionProtocol, Tls);
    }
}
