namespace Portcullis.Audit.Http;

/// <summary>
/// One request the HTTP audit made and what came back: status, raw headers and the start of the body.
/// </summary>
/// <param name="Url">What was asked for.</param>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Headers">The response header fields as received.</param>
/// <param name="Body">The first <see cref="HttpFetcher.MaxBodyBytes"/> bytes of the body, as UTF-8 text.</param>
/// <param name="CertificateVerified">For HTTPS: the certificate chain is trusted (system store plus --ca) and names the host; null for plain HTTP.</param>
/// <param name="Elapsed">From connect to the end of the (bounded) body.</param>
internal sealed record HttpExchange(Uri Url, int Status, HeaderList Headers, string Body, bool? CertificateVerified, TimeSpan Elapsed)
{
    public Uri? Location =>
        Status is >= 300 and < 400 && Headers.First("Location") is { } location && Uri.TryCreate(Url, location, out var next)
            ? next
            : null;
}
