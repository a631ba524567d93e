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
    private readonly RenewalSchedule _schedule = new(new Random()) { RetryBase = options.RetryBase, RetryMax = options.RetryMax };
    private readonly HashSet<int> _warned = [];
    private readonly string _hostList = string.Join(", ", hosts);
    private Task _run = Task.CompletedTask;
    private volatile AcmeSiteStatus _status = new() { Site = site, Hosts = hosts };

    public AcmeSiteStatus Status => _status;

    public void Start() => _run = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var acme = config.Tls.Acme;
        DateTimeOffset? retryAt = null;
        var failures = 0;
        var issued = 0;
        var first = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var stored = _store.Load(site);
            var usable = stored is not null && stored.IsUsableFor(hosts, now);
            if (first)
            {
                Announce(stored, usable);
                first = false;
            }
            DateTimeOffset due = now;
            if (usable)
            {
                WarnIfExpiring(stored!, now);
                due = _schedule.RenewAt(stored!, await RenewalWindowAsync(stored!, cancellationToken));
            }
            if (retryAt is { } retry && retry > due)
            {
                due = retry;
            }
            _status = _status with { NotAfter = usable ? stored!.NotAfter : null, NextAttempt = due, Failures = failures, Issued = issued };
            if (due > now)
            {
                // Wake at least every CheckInterval: days-left warnings and the CA's renewal window are re-read then.
                var wait = due - now < options.CheckInterval ? due - now : options.CheckInterval;
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                if (time.GetUtcNow() < due)
                {
                    continue;
                }
            }
            try
            {
                var certificate = await OrderAsync(acme, usable ? stored : null, cancellationToken);
                Install(certificate);
                issued++;
                failures = 0;
                retryAt = null;
                _warned.Clear();
                _status = _status with { NotAfter = certificate.NotAfter, Failures = 0, LastError = null, Issued = issued };
                LogIssued(logger, site, _hostList, certificate.NotAfter, usable ? "renewed" : "issued");
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                failures++;
                var delay = _schedule.RetryDelay(failures);
                if (ex is AcmeException { RetryAfter: { } asked } && asked > delay)
                {
                    delay = asked;
                }
                retryAt = time.GetUtcNow() + delay;
                var reason = Describe(ex);
                _status = _status with { Failures = failures, LastError = reason, NextAttempt = retryAt };
                if (ex is not AcmeException { Problem: not null })
                {
                    sessions.Forget(acme, config.DataDir); // the session itself may be what broke (network, directory)
                }
                var serving = usable ? $"keeps serving the certificate valid until {stored!.NotAfter:u}" : "keeps serving a temporary self-signed certificate";
                LogOrderFailed(logger, site, _hostList, reason, serving, retryAt.Value, failures);
            }
        }
    }

    private async Task<StoredCertificate> OrderAsync(AcmeConfig acme, StoredCertificate? current, CancellationToken cancellationToken)
    {
        await oneOrderAtATime.WaitAsync(cancellationToken);
        try
        {
            var session = await sessions.GetAsync(acme, config.DataDir, cancellationToken);
            var replaces = current is not null && session.Client.Directory.RenewalInfo is not null ? TryAriId(current) : null;
            var keyType = acme.KeyType == AcmeKeyType.Rsa2048 ? CertificateKeyType.Rsa2048 : CertificateKeyType.EcdsaP256;
            var issued = await session.Issuer.IssueAsync(hosts, challenges.For(acme.Challenge), keyType, replaces, cancellationToken);
            issued.Leaf.Dispose();
            // On disk before in service: a crash right after still finds it, and a restart reuses it.
            return _store.Save(site, issued.ChainPem, issued.KeyPem);
        }
        finally
        {
            oneOrderAtATime.Release();
        }
    }

    /// <summary>The CA's renewal window for the certificate (RFC 9773), when it publishes one; any failure means "use our own schedule".</summary>
    private async Task<RenewalWindowTimes?> RenewalWindowAsync(StoredCertificate stored, CancellationToken cancellationToken)
    {
        try
        {
            var session = await sessions.GetAsync(config.Tls.Acme, config.DataDir, cancellationToken);
            if (session.Client.Directory.RenewalInfo is null)
            {
                return null;
            }
            var window = await session.Client.GetRenewalInfoAsync(stored.Leaf, cancellationToken);
            return window is null ? null : new RenewalWindowTimes(window.Start, window.End);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is AcmeException or HttpRequestException or ArgumentException or TaskCanceledException)
        {
            return null;
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

    /// <summary>Puts the certificate into the running site, if the site is still there and still on ACME.</summary>
    private void Install(StoredCertificate certificate)
    {
        var snapshot = state.Current;
        var running = snapshot.Sites.FirstOrDefault(s => string.Equals(s.Name, site, StringComparison.OrdinalIgnoreCase));
        if (running is { Config.Tls.Acme: true })
        {
            running.ReplaceTlsOptions(TlsPolicy.CreateServerOptions(certificate.Chain, snapshot.Config.Tls.Profile));
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

    private void WarnIfExpiring(StoredCertificate stored, DateTimeOffset now)
    {
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
        catch (OperationCanceledException)
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
