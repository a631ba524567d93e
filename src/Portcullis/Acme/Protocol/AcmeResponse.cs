using System.Net;

namespace Portcullis.Acme.Protocol;

/// <summary>What the client keeps of one HTTP answer from the CA: status, body (bounded), and the headers ACME uses.</summary>
internal sealed record AcmeResponse(HttpStatusCode Status, byte[] Body, string? ContentType, Uri? Location, TimeSpan? RetryAfter, string? Nonce)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}
