namespace Portcullis.Acme;

/// <summary>
/// The renewal moment of one certificate, drawn once: a new random draw at every hourly wake-up would pull renewals
/// towards the start of the range and undo the spread that the jitter (or the CA's window, RFC 9773 §4.2) is for.
/// Drawn again only for another certificate or another window. Also remembers until when the CA asked us not to
/// fetch its renewal information again (its Retry-After; 6 hours when it gives none).
/// </summary>
internal sealed class RenewalPlan(RenewalSchedule schedule)
{
    public RenewalSchedule Schedule { get; } = schedule;

    public static readonly TimeSpan DefaultWindowRecheck = TimeSpan.FromHours(6);

    private string? _thumbprint;
    private RenewalWindowTimes? _window;
    private DateTimeOffset _at;

    /// <summary>When the CA's renewal information should be fetched again.</summary>
    public DateTimeOffset WindowCheckDue { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The planned renewal of <paramref name="certificate"/>, drawn again only when it or the window changed.</summary>
    public DateTimeOffset RenewAt(StoredCertificate certificate, RenewalWindowTimes? window)
    {
        var thumbprint = certificate.Leaf.Thumbprint;
        if (thumbprint != _thumbprint || !Equals(window, _window))
        {
            _thumbprint = thumbprint;
            _window = window;
            _at = Schedule.RenewAt(certificate, window);
        }
        return _at;
    }

    /// <summary>The window last fetched for the current certificate (kept until <see cref="WindowCheckDue"/>).</summary>
    public RenewalWindowTimes? KnownWindow(StoredCertificate certificate) => certificate.Leaf.Thumbprint == _thumbprint ? _window : null;

    public void WindowChecked(DateTimeOffset now, TimeSpan? retryAfter) => WindowCheckDue = now + (retryAfter ?? DefaultWindowRecheck);

    /// <summary>Forget the window check schedule (a new certificate was issued).</summary>
    public void Reset() => WindowCheckDue = DateTimeOffset.MinValue;
}
