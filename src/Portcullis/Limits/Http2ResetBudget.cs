using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Portcullis.Limits;

/// <summary>
/// A per-connection budget of HTTP/2 streams the client cancels (<c>limits.http2_max_resets</c> per
/// <see cref="Window"/>); over it, the whole connection is closed. Against rapid reset (CVE-2023-44487): a
/// client that opens a stream and resets it at once makes the gateway start a request that never counts against
/// SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2), so the stream cap alone does not bound the work.
/// <para>
/// Kestrel's own defences stop the crude form only: it answers ENHANCE_YOUR_CALM when more than twice the stream
/// cap are still being processed and aborts after 100 of those in 5 s (process-wide AppContext switch
/// <c>Microsoft.AspNetCore.Server.Kestrel.Http2.MaxEnhanceYourCalmCount</c>), and it aborts a connection whose
/// output queue passes the same bound. Both depend on the application being slower than the attacker; a client
/// that paces itself and reads its frames, while the gateway drops each reset stream quickly, is stopped by
/// neither. This budget counts resets whatever the timing.
/// </para>
/// </summary>
internal sealed class Http2ResetBudget(ConnectionContext connection, int max, TimeProvider time)
{
    /// <summary>Resets are counted per window; a browser cancelling a page's pending requests stays far below the budget.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private long _windowStart = time.GetTimestamp();
    private int _resets;
    private bool _closed;

    public ConnectionContext Connection { get; } = connection;

    /// <summary>Counts one cancelled stream; true when this one spent the budget and the connection was closed.</summary>
    public bool OnStreamReset()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(_windowStart, now) >= Window)
            {
                _windowStart = now;
                _resets = 0;
            }
            if (_closed || ++_resets <= max)
            {
                return false;
            }
            _closed = true;
        }
        Connection.Abort(new ConnectionAbortedException("over limits.http2_max_resets"));
        return true;
    }
}
