using Microsoft.Extensions.Logging;
using Portcullis.Acme.Protocol;
using Portcullis.Configuration;
using Portcullis.Hosting;
using Portcullis.Tls;

namespace Portcullis.Acme;

/// <summary>
/// The life of one ACME site's certificate: reuse the stored one while it is valid; order when there is none;
/// renew when the schedule (or the CA's renewal window) says; on failure keep serving what is there and retry with
/// backoff; warn as expiry nears. A new certificate is written to disk first, then swapped into the running site
/// for the next handshakes, so open connections are untouched.
/// </summary>
internal sealed partial class AcmeSiteWorker(
    string site, IReadOnlyList<string> hosts, GatewayConfig config, GatewayState state, AcmeChallengeStores challenges,
    AcmeSessionCache sessions, SemaphoreSlim oneOrderAtATime, TimeProvider time, AcmeManagerOptions options, ILogger<AcmeSiteWorker> logger)
    : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly AcmeCertificateStore _store = new(config.DataDir);

    private readonly HashSet<int> _warned = [];
    private readonly Lock _installLock = new();
    private readonly RenewalPlan _plan = new(new RenewalSchedule(new Random()) { RetryBase = options.RetryBase, RetryMax = options.RetryMax });
    private DateTimeOffset? _retryAt;
    private int _failures;
    private int _issued;
    private bool _withoutReplaces;
    private bool _forgetSession;
    private readonly string _hostList = string.Join(", ", hosts);
    private Task _run = Task.CompletedTask;
    private volatile AcmeSiteStatus _status = new() { Site = site, Hosts = hosts };

    public AcmeSiteStatus Status => _status;

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await StepAsync(first, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                // Nothing may end the worker: a site without one would silently stop renewing.
                using var stored = _store.Load(site);
                Failed(ex, stored);
            }
            first = false;
        }
    }

    /// <summary>One wake-up: look at the stored certificate, wait for its renewal (or the retry), then order.</summary>
    private async Task StepAsync(bool first, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        using var stored = _store.Load(site);
        var usable = stored is not null && stored.IsUsableFor(hosts, now);
        if (first)
        {
            Announce(stored, usable);
        }
        var due = now;
        if (usable)
        {
            due = _plan.RenewAt(stored!, await RenewalWindowAsync(stored!, now, cancellationToken));
            WarnIfExpiring(stored!, now, due);
        }
        if (_retryAt is { } retry && retry > due)
        {
            due = retry;
        }
        _status = _status with { NotAfter = stored?.NotAfter, NextAttempt = due, Failures = _failures, Issued = _issued };
        if (due > now)
        {
            // Wake at least every CheckInterval: days-left warnings and the CA's renewal window are re-read then.
            var wait = due - now < options.CheckInterval ? due - now : options.CheckInterval;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            if (time.GetUtcNow() < due)
            {
                return;
            }
        }
        try
        {
            using var certificate = await OrderAsync(usable ? stored : null, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested(); // a worker replaced by a reload installs nothing
            InstallLatest();
            _issued++;
            _failures = 0;
            _retryAt = null;
            _withoutReplaces = false;
            _warned.Clear();
            _plan.Reset();
            _status = _status with { NotAfter = certificate.NotAfter, Failures = 0, LastError = null, Issued = _issued };
            LogIssued(logger, site, _hostList, certificate.NotAfter, usable ? "renewed" : "issued");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            Failed(ex, stored);
        }
    }

    private void Failed(Exception ex, StoredCertificate? stored)
    {
        _failures++;
        var delay = _plan.Schedule.RetryDelay(_failures);
        if (ex is AcmeException { RetryAfter: { } asked } && asked > delay)
        {
            delay = asked;
        }
        var now = time.GetUtcNow();
        _retryAt = now + delay;
        // An interrupted renewal leaves an order that already "replaces" this certificate at the CA, which then refuses
        // every new one with alreadyReplaced/conflict until it expires: the next attempt goes without replaces.
        _withoutReplaces = true;
        var reason = Describe(ex);
        _status = _status with { Failures = _failures, LastError = reason, NextAttempt = _retryAt, NotAfter = stored?.NotAfter };
        if (ex is not AcmeException { Problem: not null })
        {
            _forgetSession = true; // the session itself may be what broke (network, directory); reopened under the order lock
        }
        var serving = stored is null || !CertificateNames.Covers(stored.Leaf, hosts) ? "keeps serving a temporary self-signed certificate"
            : stored.NotAfter > now ? $"keeps serving the certificate valid until {stored.NotAfter:u}"
            : $"keeps serving the certificate that expired at {stored.NotAfter:u}";
        LogOrderFailed(logger, site, _hostList, reason, serving, _retryAt.Value, _failures);
    }

    private async Task<StoredCertificate> OrderAsync(StoredCertificate? current, CancellationToken cancellationToken)
    {
        var acme = config.Tls.Acme;
        await oneOrderAtATime.WaitAsync(cancellationToken);
        try
        {
            var session = await SessionAsync(cancellationToken);
            var replaces = current is not null && !_withoutReplaces && session.Client.Directory.RenewalInfo is not null ? TryAriId(current) : null;
            var keyType = acme.KeyType == AcmeKeyType.Rsa2048 ? CertificateKeyType.Rsa2048 : CertificateKeyType.EcdsaP256;
            var issued = await session.Issuer.IssueAsync(hosts, challenges.For(acme.Challenge), keyType, replaces, cancellationToken);
            using (issued.Leaf)
            {
                // A certificate that would not count as usable would be ordered again at once: fail (and back off) instead.
                if (!CertificateNames.Covers(issued.Leaf, hosts))
                {
                    throw new AcmeException($"the CA issued a certificate for {string.Join(", ", CertificateNames.Of(issued.Leaf))}, not for every host of the site ({_hostList})");
                }
                if (issued.Leaf.NotAfter.ToUniversalTime() <= time.GetUtcNow().UtcDateTime)
                {
                    throw new AcmeException($"the CA issued a certificate that expired at {issued.Leaf.NotAfter.ToUniversalTime():u}; check this machine's clock");
                }
            }
            // On disk before in service: a crash right after still finds it, and a restart reuses it.
            lock (_installLock)
            {
                return _store.Save(site, issued.ChainPem, issued.KeyPem);
            }
        }
        finally
        {
            oneOrderAtATime.Release();
        }
    }

    /// <summary>The shared session, reopened when the last failure may have been the session's own; only under the order lock.</summary>
    private async Task<AcmeAccountSession> SessionAsync(CancellationToken cancellationToken)
    {
        if (_forgetSession)
        {
            sessions.Forget(config.Tls.Acme, config.DataDir);
            _forgetSession = false;
        }
        return await sessions.GetAsync(config.Tls.Acme, config.DataDir, cancellationToken);
    }

    /// <summary>
    /// The CA's renewal window for the certificate (RFC 9773), when it publishes one, fetched again only when the
    /// CA's Retry-After (or 6 hours) has passed. Any failure means "use our own schedule".
    /// </summary>
    private async Task<RenewalWindowTimes?> RenewalWindowAsync(StoredCertificate stored, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now < _plan.WindowCheckDue)
        {
            return _plan.KnownWindow(stored);
        }
        await oneOrderAtATime.WaitAsync(cancellationToken);
        try
        {
            var session = await SessionAsync(cancellationToken);
            if (session.Client.Directory.RenewalInfo is null)
            {
                _plan.WindowChecked(now, TimeSpan.FromDays(3650)); // the CA does not do ARI; asked again after a restart
                return null;
            }
            var window = await session.Client.GetRenewalInfoAsync(stored.Leaf, cancellationToken);
            _plan.WindowChecked(now, window?.RetryAfter);
            return window is null ? null : new RenewalWindowTimes(window.Start, window.End);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            _plan.WindowChecked(now, TimeSpan.FromHours(1));
            return _plan.KnownWindow(stored);
        }
        finally
        {
            oneOrderAtATime.Release();
        }
    }

    /// <summary>
    /// Puts the newest stored certificate into the running site, if the site still exists, is on ACME and the
    /// certificate is usable for its hosts. Called after an order and by <see cref="AcmeCertificateManager.Sync"/>
    /// after a reload (whose snapshot may have been built from the store just before an order saved a newer one).
    /// Reads from disk under the same lock as the save, so an older certificate never replaces a newer one.
    /// </summary>
    public void InstallLatest()
    {
        lock (_installLock)
        {
            var stored = _store.Load(site);
            if (stored is null || !stored.IsUsableFor(hosts, time.GetUtcNow()))
            {
                stored?.Dispose();
                return;
            }
            var snapshot = state.Current;
            var running = snapshot.Sites.FirstOrDefault(s => string.Equals(s.Name, site, StringComparison.OrdinalIgnoreCase));
            if (running is { Config.Tls.Acme: true } && running.TlsOptions.ServerCertificateContext?.TargetCertificate.Thumbprint != stored.Leaf.Thumbprint)
            {
                // The TLS context keeps these certificates: not disposed here.
                running.ReplaceTlsOptions(TlsPolicy.CreateServerOptions(stored.Chain, snapshot.Config.Tls.Profile));
            }
            else
            {
                stored.Dispose();
            }
        }
    }

    private static string? TryAriId(StoredCertificate stored)
    {
        try
        {
            return AriCertificateId.For(stored.Leaf);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private void Announce(StoredCertificate? stored, bool usable)
    {
        if (usable)
        {
            LogReused(logger, site, stored!.NotAfter);
        }
        else
        {
            var why = stored is null ? "no certificate from the CA yet" : "the stored certificate has expired or does not name every host";
            LogTemporary(logger, site, why, config.Tls.Acme.Directory.ToString());
        }
    }

    /// <summary>
    /// Logs once per threshold (30, 14, 7, 1 days left) while a renewal is overdue: after a failed order, or once the
    /// planned renewal time has passed. A short-lived certificate that is simply not due yet is no reason to warn.
    /// </summary>
    private void WarnIfExpiring(StoredCertificate stored, DateTimeOffset now, DateTimeOffset renewAt)
    {
        if (_failures == 0 && now < renewAt)
        {
            return;
        }
        var daysLeft = stored.Remaining(now).TotalDays;
        foreach (var threshold in options.WarningDays.OrderBy(d => d))
        {
            if (daysLeft <= threshold)
            {
                if (_warned.Add(threshold))
                {
                    LogExpiring(logger, site, Math.Max(0, (int)Math.Floor(daysLeft)), stored.NotAfter, _status.LastError ?? "no renewal attempt failed yet");
                }
                break;
            }
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        AcmeException acme => acme.Message,
        HttpRequestException http => $"cannot reach the CA: {http.Message}",
        TaskCanceledException => "the CA did not answer in time",
        _ => ex.Message,
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // stopping
        }
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "site {Site}: reusing the stored ACME certificate, valid until {NotAfter:u}")]
    private static partial void LogReused(ILogger logger, string site, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Warning, Message = "site {Site}: serving a temporary self-signed certificate ({Why}); ordering one from {Directory}")]
    private static partial void LogTemporary(ILogger logger, string site, string why, string directory);

    [LoggerMessage(EventId = 1803, Level = LogLevel.Information, Message = "site {Site}: certificate {Action} for {Hosts}, valid until {NotAfter:u}; now in service")]
    private static partial void LogIssued(ILogger logger, string site, string hosts, DateTimeOffset notAfter, string action);

    [LoggerMessage(EventId = 1804, Level = LogLevel.Error, Message = "site {Site}: ACME order for {Hosts} failed: {Reason}. The site {Serving}; next attempt at {RetryAt:u} (failure {Failures} in a row)")]
    private static partial void LogOrderFailed(ILogger logger, string site, string hosts, string reason, string serving, DateTimeOffset retryAt, int failures);

    [LoggerMessage(EventId = 1805, Level = LogLevel.Warning, Message = "site {Site}: certificate expires in {DaysLeft} day(s), at {NotAfter:u}; renewal has not succeeded yet (last error: {LastError})")]
    private static partial void LogExpiring(ILogger logger, string site, int daysLeft, DateTimeOffset notAfter, string lastError);
}
