namespace Portcullis.Demo;

/// <summary><c>/slow?ms=N</c>: answers after a delay, so users can watch the gateway's upstream timeout fire.</summary>
internal sealed class DemoSlowHandler(CancellationToken stopping)
{
    // Long enough to trip any sensible gateway timeout; short enough that a forgotten request ends on its own.
    public const int MaxMilliseconds = 120_000;

    public async Task HandleAsync(HttpContext context)
    {
        if (!DemoQuery.TryGetClampedInt(context.Request, "ms", defaultValue: 1000, MaxMilliseconds, out var milliseconds))
        {
            await DemoHtml.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad delay",
                DemoPages.Message("Bad delay", $"ms must be a whole number of milliseconds; values above {MaxMilliseconds} are capped."));
            return;
        }

        // Also end on shutdown, so stopping the demo does not wait for a two-minute delay.
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(milliseconds, cancellation.Token);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // The client (or the gateway's timeout) gave up; nobody is left to answer.
        }
        catch (OperationCanceledException)
        {
            await DemoHtml.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Stopping",
                DemoPages.Message("Stopping", "The demo application is shutting down."));
            return;
        }

        await DemoHtml.WriteAsync(context, StatusCodes.Status200OK, "Slow", DemoPages.Slow(milliseconds));
    }
}
