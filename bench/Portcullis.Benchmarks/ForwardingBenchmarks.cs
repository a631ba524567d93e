using System.Buffers;
using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Portcullis.Proxy;
using Portcullis.Proxy.Http1;

namespace Portcullis.Benchmarks;

/// <summary>
/// The per-request work of the HTTP/1.1 fast path that is not I/O: writing the upstream request head from
/// Kestrel's headers and parsing the upstream's response head into the client response.
/// </summary>
[MemoryDiagnoser]
public class ForwardingBenchmarks
{
    private static readonly byte[] ResponseHead = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Thu, 26 Nov 2026 22:00:00 GMT\r\nContent-Type: text/plain\r\n" +
        "Content-Length: 18\r\nConnection: keep-alive\r\nX-Powered-By: PHP/8.2\r\nCache-Control: no-cache\r\n\r\n");

    private DefaultHttpContext _context = null!;
    private Upstream _upstream = null!;

    [GlobalSetup]
    public void Setup()
    {
        _context = new DefaultHttpContext();
        var request = _context.Request;
        request.Method = "GET";
        request.Scheme = "https";
        request.Host = new HostString("shop.example.com");
        request.Path = "/search";
        request.QueryString = new QueryString("?q=blue+running+shoes&page=2&sort=price&id=12345");
        // Browser-like headers.
        request.Headers.UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        request.Headers.Accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        request.Headers.AcceptLanguage = "en-US,en;q=0.9";
        request.Headers.AcceptEncoding = "gzip, deflate, br";
        request.Headers.Cookie = "session=abc123; theme=dark";
        _upstream = new UpstreamRegistry(TimeProvider.System).Create(new Uri("http://127.0.0.1:9000"));
    }

    [Benchmark]
    public int WriteRequestHead()
    {
        var buffer = RequestHeadWriter.Write(_context, _upstream, ("203.0.113.7", "https", "shop.example.com"), "8069b29c022d422a8557f106dd7c1356", false, out var length);
        ArrayPool<byte>.Shared.Return(buffer);
        return length;
    }

    [Benchmark]
    public int ParseResponseHead()
    {
        var headers = new HeaderDictionary();
        var head = ResponseHeadParser.Parse(ResponseHead, headers);
        return head.StatusCode + headers.Count;
    }

    [Benchmark]
    public IPAddress? ResolveClientAddress() =>
        new ClientAddressResolver([IPNetwork.Parse("10.0.0.0/8")]).Resolve(IPAddress.Parse("10.1.2.3"), "203.0.113.7, 10.0.0.1");
}
