using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Portcullis.Acme.Protocol;

/// <summary>The wire side of <see cref="AcmeClient"/>: nonces, signed POSTs, badNonce retry, bounded reads, problem documents.</summary>
internal sealed partial class AcmeClient
{
    /// <summary>RFC 8555 §6.5 makes badNonce retryable; three fresh nonces in a row being refused means something else is wrong.</summary>
    internal const int MaxBadNonceRetries = 3;

    /// <summary>ACME objects and PEM chains are a few KiB; a CA answer beyond 1 MiB is refused rather than buffered.</summary>
    internal const int MaxResponseBytes = 1 << 20;

    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MinPollDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(5);
    private static readonly MediaTypeHeaderValue JoseJson = new("application/jose+json");

    private static async Task<AcmeDirectory> FetchDirectoryAsync(HttpClient http, AcmeClientOptions options, CancellationToken cancellationToken)
    {
        var url = options.Directory;
        var context = $"ACME directory {url} cannot be loaded";
        var response = await SendCoreAsync(http, options, () => new HttpRequestMessage(HttpMethod.Get, url), url, context, null, cancellationToken);
        if (!response.IsSuccess)
        {
            throw new AcmeException($"{context}: HTTP {(int)response.Status}", TryParseProblem(response));
        }
        AcmeDirectory? directory;
        try
        {
            directory = JsonSerializer.Deserialize(response.Body, AcmeJsonContext.Default.AcmeDirectory);
        }
        catch (JsonException e)
        {
            throw new AcmeException($"{context}: the answer is not ACME directory JSON ({e.Message})", e);
        }
        if (directory?.NewNonce is null || directory.NewAccount is null || directory.NewOrder is null)
        {
            throw new AcmeException($"{context}: the answer is not an ACME directory (RFC 8555 §7.1.1 requires newNonce, newAccount and newOrder)");
        }
        return directory;
    }

    /// <summary>Replaces the kept nonce, so a test can make the next request carry one the CA never issued.</summary>
    internal void SetNonceForTesting(string nonce) => Volatile.Write(ref _nonce, nonce);

    private Task<AcmeResponse> PostAsGetAsync(Uri url, string context, CancellationToken cancellationToken, string? accept = null) =>
        PostAsync(url, [], useJwk: false, context, accept, cancellationToken);

    /// <summary>
    /// A signed POST (RFC 8555 §6.2). Every answer carries a fresh nonce, which is kept for the next request; a
    /// badNonce answer is retried with that nonce (§6.5) up to <see cref="MaxBadNonceRetries"/> times. Any other
    /// error is an <see cref="AcmeException"/> with the CA's problem document, also logged.
    /// </summary>
    private async Task<AcmeResponse> PostAsync(Uri url, byte[] payload, bool useJwk, string context, string? accept = null, CancellationToken cancellationToken = default)
    {
        string? kid = null;
        if (!useJwk)
        {
            kid = _accountUrl?.AbsoluteUri ?? throw new InvalidOperationException("RegisterAsync must succeed before account requests (RFC 8555 §6.2: kid)");
        }
        for (var attempt = 0; ; attempt++)
        {
            var nonce = await TakeNonceAsync(cancellationToken);
            var jws = AcmeJws.Sign(_key, url, nonce, kid, payload);
            var body = JsonSerializer.SerializeToUtf8Bytes(jws, AcmeJsonContext.Default.JwsObject);
            var response = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = JoseJson;
                if (accept is not null)
                {
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
                }
                return request;
            }, url, context, cancellationToken);
            if (response.IsSuccess)
            {
                return response;
            }
            var problem = TryParseProblem(response);
            if (problem?.Type == AcmeProblem.BadNonce && attempt < MaxBadNonceRetries)
            {
                Log.BadNonceRetry(_logger, url, attempt + 1, MaxBadNonceRetries);
                continue;
            }
            ThrowIfProblem(response, url, context, problem);
        }
    }

    private void ThrowIfProblem(AcmeResponse response, Uri url, string context, AcmeProblem? problem = null)
    {
        if (response.IsSuccess)
        {
            return;
        }
        problem ??= TryParseProblem(response);
        if (problem is null)
        {
            Log.HttpError(_logger, url, (int)response.Status, response.ContentType ?? "no content type");
            throw new AcmeException($"{context}: HTTP {(int)response.Status} ({response.ContentType ?? "no content type"})", null, response.RetryAfter);
        }
        Log.Problem(_logger, url, (int)response.Status, problem.ToString());
        throw new AcmeException(context, problem, response.RetryAfter);
    }

    private async Task<string> TakeNonceAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _nonce, null) is { } kept)
        {
            return kept;
        }
        // RFC 8555 §7.2: HEAD newNonce answers 200 with a Replay-Nonce.
        var url = Directory.NewNonce!;
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, url), url, $"ACME newNonce {url} failed", cancellationToken);
        ThrowIfProblem(response, url, $"ACME newNonce {url} failed");
        return Interlocked.Exchange(ref _nonce, null) ?? throw new AcmeException($"ACME newNonce {url} answered without a Replay-Nonce header");
    }

    private async Task<AcmeResponse> SendAsync(Func<HttpRequestMessage> createRequest, Uri url, string context, CancellationToken cancellationToken)
    {
        var response = await SendCoreAsync(_http, _options, createRequest, url, context, _logger, cancellationToken);
        if (response.Nonce is not null)
        {
            Volatile.Write(ref _nonce, response.Nonce);
        }
        return response;
    }

    private static async Task<AcmeResponse> SendCoreAsync(HttpClient http, AcmeClientOptions options, Func<HttpRequestMessage> createRequest,
        Uri url, string context, Microsoft.Extensions.Logging.ILogger? logger, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.RequestTimeout, options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = createRequest();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ReadBoundedAsync(response.Content, url, context, linked.Token);
            return new AcmeResponse(
                response.StatusCode,
                body,
                response.Content.Headers.ContentType?.MediaType,
                response.Headers.Location is { } location ? new Uri(url, location) : null,
                RetryAfterHeader.Read(response.Headers, options.Time.GetUtcNow()),
                ReadNonce(response.Headers));
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AcmeException($"{context}: no answer from {url} within {options.RequestTimeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e)
        {
            if (logger is not null)
            {
                Log.Unreachable(logger, url, e.Message);
            }
            throw new AcmeException($"{context}: {url} is unreachable ({e.Message})", e);
        }
    }

    /// <summary>RFC 8555 §6.5.1: a nonce is base64url; anything else is ignored rather than echoed back into a signed header.</summary>
    private static string? ReadNonce(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Replay-Nonce", out var values))
        {
            return null;
        }
        var nonce = values.FirstOrDefault()?.Trim();
        return nonce is { Length: > 0 and <= 512 } && Base64Url.IsValid(nonce) ? nonce : null;
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, Uri url, string context, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new AcmeException($"{context}: the answer from {url} is larger than {MaxResponseBytes} bytes");
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new AcmeException($"{context}: the answer from {url} is larger than {MaxResponseBytes} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static AcmeProblem? TryParseProblem(AcmeResponse response)
    {
        if (response.Body.Length == 0)
        {
            return null;
        }
        try
        {
            var problem = JsonSerializer.Deserialize(response.Body, AcmeJsonContext.Default.AcmeProblem);
            return problem?.Type is null && problem?.Detail is null ? null : problem;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static T Parse<T>(AcmeResponse response, Uri url, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type) ?? throw new AcmeException($"ACME answer from {url} is JSON null");
        }
        catch (JsonException e)
        {
            throw new AcmeException($"ACME answer from {url} is not a valid {typeof(T).Name} ({e.Message})", e);
        }
    }

    /// <summary>
    /// Polls <paramref name="url"/> until <paramref name="done"/>; a state that is neither done nor pending fails at once.
    /// The wait between polls is the CA's Retry-After when it sent one (RFC 8555 §7.4), else a doubling backoff,
    /// and the whole wait is bounded by <see cref="AcmeClientOptions.PollTimeout"/>.
    /// </summary>
    private async Task<T> PollAsync<T>(Uri url, string kind, Func<Uri, CancellationToken, Task<T>> fetch, Func<T, string> status,
        Func<T, TimeSpan?> retryAfter, Func<T, bool> done, Func<T, bool> pending, Func<T, AcmeException> fail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var started = _options.Time.GetTimestamp();
        var backoff = FirstPollDelay;
        while (true)
        {
            var item = await fetch(url, cancellationToken);
            if (done(item))
            {
                return item;
            }
            if (!pending(item))
            {
                var failure = fail(item);
                Log.ResourceFailed(_logger, kind, url, failure.Message);
                throw failure;
            }
            var remaining = _options.PollTimeout - _options.Time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new AcmeException($"ACME {kind} {url} is still {status(item)} after {_options.PollTimeout.TotalSeconds:0} s");
            }
            var wait = retryAfter(item) ?? backoff;
            wait = wait < MinPollDelay ? MinPollDelay : wait > remaining ? remaining : wait;
            var state = status(item);
            Log.Polling(_logger, kind, url, state, wait);
            await Task.Delay(wait, _options.Time, cancellationToken);
            backoff = backoff * 2 > MaxPollDelay ? MaxPollDelay : backoff * 2;
        }
    }
}
