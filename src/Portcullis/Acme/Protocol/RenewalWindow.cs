namespace Portcullis.Acme.Protocol;

/// <summary>
/// The CA's suggested renewal window (RFC 9773 §4.2): renew at a random moment between <see cref="Start"/> and
/// <see cref="End"/>; ask again after <see cref="RetryAfter"/>.
/// </summary>
internal sealed record RenewalWindow(DateTimeOffset Start, DateTimeOffset End, Uri? ExplanationUrl, TimeSpan? RetryAfter);
