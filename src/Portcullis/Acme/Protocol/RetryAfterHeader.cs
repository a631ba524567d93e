using System.Net.Http.Headers;

namespace Portcullis.Acme.Protocol;

/// <summary>Reads Retry-After (RFC 9110 §10.2.3), which ACME uses for polling (RFC 8555 §7.4) and rate limits (§6.6).</summary>
internal static class RetryAfterHeader
{
    /// <summary>Longest wait we accept from a CA; a larger value is clamped so a typo cannot park renewal for months.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(1);

    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var value = headers.RetryAfter;
        TimeSpan? wait = value?.Delta ?? (value?.Date is { } date ? date - now : null);
        if (wait is null)
        {
            return null;
        }
        return wait.Value < TimeSpan.Zero ? TimeSpan.Zero : wait.Value > Max ? Max : wait.Value;
    }
}
