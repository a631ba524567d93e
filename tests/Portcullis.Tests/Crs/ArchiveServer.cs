using System.Net;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Crs;

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener) serving byte arrays by path, 404 for anything else, so the fetch
/// goes through HttpClient exactly as it would against GitHub.
/// </summary>
internal sealed class ArchiveServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public ArchiveServer()
    {
        var port = TestPorts.GetFree();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public int Requests { get; private set; }

    /// <summary>Serves <paramref name="bytes"/> at <paramref name="path"/> and returns its full URL.</summary>
    public string Add(string path, byte[] bytes)
    {
        _files[path] = bytes;
        return BaseUrl + path;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Requests++;
            using var response = context.Response;
            if (_files.TryGetValue(context.Request.Url!.AbsolutePath, out var bytes))
            {
                response.ContentType = "application/gzip";
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
    }
}
