using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Portcullis.Configuration;
using Portcullis.Hosting;
using Portcullis.Proxy;

namespace Portcullis.Limits;

/// <summary>
/// The in-flight cap of one upstream of a route (<c>upstream_limit</c>), on a <see cref="ConcurrencyLimiter"/>:
/// up to <see cref="UpstreamLimitConfig.MaxInFlight"/> requests go through, up to <see cref="UpstreamLimitConfig.Queue"/>
/// more wait (oldest first) for at most <see cref="UpstreamLimitConfig.QueueTimeout"/>, the rest get 503.
/// A reload builds new gates; requests still running on the old ones are not counted by the new ones.
/// </summary>
#pragma warning disable CA1001 // A ConcurrencyLimiter holds no timer or handle; disposing it at reload would fail the requests still queued on it.
internal sealed class UpstreamGate(UpstreamLimitConfig config)
#pragma warning restore CA1001
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = config.MaxInFlight,
        QueueLimit = config.Queue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public UpstreamLimitConfig Config { get; } = config;

    /// <summary>A slot to dispose when the forward ends, or null when the upstream is full (and the queue, or the wait ran out).</summary>
    public async ValueTask<RateLimitLease?> EnterAsync(CancellationToken requestAborted)
    {
        var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return lease;
        }
        lease.Dispose();
        if (Config.Queue == 0)
        {
            return null;
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        wait.CancelAfter(Config.QueueTimeout);
        try
        {
            lease = await _limiter.AcquireAsync(1, wait.Token);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return null;
        }
        if (lease.IsAcquired)
        {
            return lease;
        }
        lease.Dispose();
        return null;
    }

    /// <summary>503 with Retry-After: the queue wait, rounded up to whole seconds, is when a slot is likely again.</summary>
    public Task RespondBusyAsync(HttpContext context, GatewayContext gateway)
    {
        gateway.Event.Limit = LimitNames.UpstreamInFlight;
        var seconds = ClientLimitsMiddleware.RetryAfterSeconds(Config.QueueTimeout);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ForwardingMiddleware.RespondAsync(context, gateway, StatusCodes.Status503ServiceUnavailable, "upstream_busy");
    }
}
