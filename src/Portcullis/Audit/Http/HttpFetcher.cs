using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Portcullis.Audit.Http;

/// <summary>
/// Makes one bounded HTTP/1.1 GET for the audit: connects to a given address instead of resolving (curl's --resolve),
/// does TLS itself so the SNI, the accepted certificate and the trust check are ours, and reads at most
/// <see cref="MaxBodyBytes"/> of the body within one timeout. Redirects are not followed here.
/// </summary>
internal static class HttpFetcher
{
    /// <summary>Enough for the head of any HTML page (scripts for the SRI check); a hostile server cannot make us read more.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    /// <summary>Response headers larger than this fail the request (SocketsHttpHandler's unit is KiB).</summary>
    public const int MaxHeaderKilobytes = 64;

    /// <summary>The Origin the audit presents, so a server that reflects any origin into CORS headers shows it.</summary>
    public const string AuditOrigin = "https://portcullis-audit.invalid";

    /// <param name="url">http or https URL; its authority becomes the Host header.</param>
    /// <param name="connectTo">Address to connect to; null resolves the URL's host.</param>
    /// <param name="sni">Server name for TLS; null sends none.</param>
    /// <param name="caFile">Extra trusted roots for <see cref="HttpExchange.CertificateVerified"/>.</param>
    public static async Task<FetchResult> GetAsync(Uri url, IPAddress? connectTo, string? sni, string? caFile, TimeSpan timeout, CancellationToken ct)
    {
        var tls = url.Scheme == Uri.UriSchemeHttps;
        var stage = FetchStage.Connect;
        bool? verified = null;
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxResponseHeadersLength = MaxHeaderKilobytes,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (_, token) =>
            {
                var stream = await ConnectAsync(url, connectTo, token);
                if (!tls)
                {
                    stage = FetchStage.Http;
                    return stream;
                }
                stage = FetchStage.Tls;
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                try
                {
                    await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                    {
                        TargetHost = sni ?? "",
                        ApplicationProtocols = [SslApplicationProtocol.Http11],
                        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                        // The audit must see the headers of a server with a bad certificate too; the verdict is recorded
                        // (verified) and judged by the TLS half and the HSTS test, not enforced here.
#pragma warning disable CA5359
                        RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                        {
                            verified = CertificateCheck.IsValid(certificate, chain, errors, caFile);
                            return true;
                        },
#pragma warning restore CA5359
                    }, token);
                }
                catch
                {
                    await ssl.DisposeAsync();
                    throw;
                }
                stage = FetchStage.Http;
                return ssl;
            },
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        // The TLS is done in ConnectCallback, so the handler itself must speak plain HTTP on that stream.
        var wire = new UriBuilder(url) { Scheme = Uri.UriSchemeHttp, Port = url.Port }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, wire) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Host = url.Authority;
        request.Headers.TryAddWithoutValidation("User-Agent", $"portcullis-audit/{Hosting.Version.Current}");
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        request.Headers.TryAddWithoutValidation("Origin", AuditOrigin);
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var fields = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
                .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))
                .ToList();
            var body = await ReadBoundedAsync(response, deadline.Token);
            return new FetchResult(new HttpExchange(url, (int)response.StatusCode, new HeaderList(fields), body, tls ? verified : null, started.Elapsed));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return FetchResult.Failed(stage, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return FetchResult.Failed(stage, Innermost(e));
        }
        catch (IOException e)
        {
            return FetchResult.Failed(stage, Innermost(e));
        }
    }

    private static async Task<Stream> ConnectAsync(Uri url, IPAddress? connectTo, CancellationToken token)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (connectTo is null)
            {
                await socket.ConnectAsync(new DnsEndPoint(url.IdnHost, url.Port), token);
            }
            else
            {
                await socket.ConnectAsync(new IPEndPoint(connectTo, url.Port), token);
            }
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken token)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(token);
        var buffer = new byte[MaxBodyBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), token);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, filled);
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e.Message;
    }
}
