using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portcullis.Waf.Transactions;

namespace Portcullis.Firewall;

/// <summary>
/// Stands in for the response body while the firewall decides: before the first byte goes out it runs phase 3 on
/// the status and headers; when the response's type is inspected, it holds the body (up to the limit) until
/// phase 4 has run, so a blocked response never reaches the client. Other responses stream through untouched.
/// Nothing is sent to the client until <see cref="FinishAsync"/> or a pass-through decision.
/// </summary>
internal sealed class InspectedResponseBody : Stream, IHttpResponseBodyFeature
{
    private readonly HttpContext _context;
    private readonly IHttpResponseBodyFeature _inner;
    private readonly Transaction _tx;
    private PipeWriter? _writer;
    private MemoryStream? _held;
    private State _state;

    public InspectedResponseBody(HttpContext context, IHttpResponseBodyFeature inner, Transaction tx)
    {
        _context = context;
        _inner = inner;
        _tx = tx;
    }

    private enum State
    {
        Undecided,
        Holding,
        Streaming,
        Blocked,
    }

    /// <summary>Set when phase 3 or 4 interrupted; the caller answers with the block page instead.</summary>
    public Interruption? Interruption { get; private set; }

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    void IHttpResponseBodyFeature.DisableBuffering() => _inner.DisableBuffering();

    async Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken)
    {
        Decide();
        if (_state == State.Streaming)
        {
            await _inner.StartAsync(cancellationToken);
        }
    }

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) =>
        SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken);

    async Task IHttpResponseBodyFeature.CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync();
        }
    }

    public override bool CanRead => false;

    // While holding, HttpResponse.Clear() (an error page replacing a half-forwarded response) may empty the buffer.
    public override bool CanSeek => _state is State.Undecided or State.Holding;

    public override bool CanWrite => true;

    public override long Length => _held?.Length ?? 0;

    public override long Position { get => Length; set => throw new NotSupportedException(); }

    public override void SetLength(long value)
    {
        if (value != 0 || !CanSeek)
        {
            throw new NotSupportedException();
        }
        _held?.SetLength(0);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Decide();
        switch (_state)
        {
            case State.Streaming:
                await _inner.Stream.WriteAsync(buffer, cancellationToken);
                return;
            case State.Holding:
                if (_tx.AppendResponseBody(buffer.Span))
                {
                    (_held ??= new MemoryStream()).Write(buffer.Span);
                    return;
                }
                // Past the inspection limit: judge what was seen (ModSecurity's ProcessPartial), then stream the rest.
                (_held ??= new MemoryStream()).Write(buffer.Span);
                if (!await JudgeBodyAsync(cancellationToken))
                {
                    return;
                }
                await ReleaseAsync(cancellationToken);
                return;
            default:
                return;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _state == State.Streaming ? _inner.Stream.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <summary>After the pipeline: runs what is left (phase 3 for an empty response, phase 4) and sends what was held.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync(cancellationToken);
        }
        Decide();
        if (_state == State.Holding && await JudgeBodyAsync(cancellationToken))
        {
            await ReleaseAsync(cancellationToken);
        }
    }

    private void Decide()
    {
        if (_state != State.Undecided)
        {
            return;
        }
        var response = _context.Response;
        foreach (var header in response.Headers)
        {
            foreach (var value in header.Value)
            {
                _tx.AddResponseHeader(header.Key, value ?? "");
            }
        }
        Interruption = _tx.ProcessResponseHeaders(response.StatusCode, _context.Request.Protocol);
        _state = Interruption is not null ? State.Blocked : _tx.WantsResponseBody ? State.Holding : State.Streaming;
    }

    /// <summary>Phase 4 on the held body; false (and the body dropped) when it interrupts.</summary>
    private Task<bool> JudgeBodyAsync(CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        Interruption = _tx.ProcessResponseBody();
        if (Interruption is null)
        {
            return Task.FromResult(true);
        }
        _state = State.Blocked;
        _held = null;
        return Task.FromResult(false);
    }

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        _state = State.Streaming;
        if (_held is { Length: > 0 } held)
        {
            await _inner.Stream.WriteAsync(held.GetBuffer().AsMemory(0, (int)held.Length), cancellationToken);
        }
        _held = null;
    }
}
