using Microsoft.Extensions.Logging;
using Portcullis.Configuration;

namespace Portcullis.Proxy;

/// <summary>
/// Active health checks of one config generation: every <see cref="HealthCheckConfig.Interval"/> each checked
/// upstream gets <c>GET path</c>; a 2xx or 3xx within the timeout keeps (or brings) it in, anything else takes
/// it out. Stopped when the generation is replaced.
/// </summary>
internal sealed partial class ActiveHealthChecker : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly HttpMessageInvoker _client;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ActiveHealthChecker(IEnumerable<(Upstream Upstream, HealthCheckConfig Check)> targets, HttpMessageInvoker client, TimeProvider time, ILogger logger)
    {
        _client = client;
        _logger = logger;
        _time = time;
        // One loop per upstream URL and path, however many routes share it.
        foreach (var group in targets.Where(t => t.Check.Path is not null).GroupBy(t => (t.Upstream.Prefix, t.Check.Path)))
        {
            var (upstream, check) = group.First();
            _loops.Add(Task.Run(() => RunAsync(upstream, check, _stop.Token)));
        }
    }

    public int LoopCount => _loops.Count;

    private async Task RunAsync(Upstream upstream, HealthCheckConfig check, CancellationToken stop)
    {
        var uri = new Uri(upstream.Prefix + check.Path);
        while (!stop.IsCancellationRequested)
        {
            var healthy = await ProbeAsync(uri, check.Timeout, stop);
            if (stop.IsCancellationRequested)
            {
                return;
            }
            if (upstream.Health.SetActive(healthy))
            {
                if (healthy)
                {
                    LogUpstreamBack(_logger, upstream.Prefix);
                }
                else
                {
                    LogUpstreamOut(_logger, upstream.Prefix, uri.PathAndQuery);
                }
            }
            try
            {
                await Task.Delay(check.Interval, _time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> ProbeAsync(Uri uri, TimeSpan timeout, CancellationToken stop)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        cts.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.UserAgent.ParseAdd("Portcullis-HealthCheck/1");
            using var response = await _client.SendAsync(request, cts.Token);
            return (int)response.StatusCode is >= 200 and < 400;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Upstream {Upstream} failed its active health check ({Path}); taken out of rotation")]
    private static partial void LogUpstreamOut(ILogger logger, string upstream, string path);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Upstream {Upstream} passes its active health check again; back in rotation")]
    private static partial void LogUpstreamBack(ILogger logger, string upstream);
}
