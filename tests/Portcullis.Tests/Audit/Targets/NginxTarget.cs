using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Audit.Targets;

/// <summary>
/// Debian's real nginx (/usr/sbin/nginx) as an audit target: started in the foreground on free loopback ports with
/// every path (pid, logs, temp files) inside a temporary prefix, killed on dispose. The test writes the server
/// blocks; "{https}", "{http}", "{cert}" and "{key}" in them are replaced with the ports and the PEM files.
/// </summary>
internal sealed class NginxTarget : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/nginx";

    /// <summary>nginx starts in milliseconds; the bound only turns a broken config into a failed test instead of a hang.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly TempDirectory _prefix;

    private NginxTarget(Process process, TempDirectory prefix, int httpsPort, int httpPort)
    {
        _process = process;
        _prefix = prefix;
        HttpsPort = httpsPort;
        HttpPort = httpPort;
    }

    public int HttpsPort { get; }

    /// <summary>A port for the plain-HTTP server block; nothing listens on it unless the config uses "{http}".</summary>
    public int HttpPort { get; }

    public string ErrorLog => File.Exists(_prefix.Combine("error.log")) ? File.ReadAllText(_prefix.Combine("error.log")) : "";

    public static async Task<NginxTarget> StartAsync(string servers, string certPath, string keyPath)
    {
        var prefix = new TempDirectory();
        Directory.CreateDirectory(prefix.Combine("tmp"));
        var https = TestPorts.GetFree();
        var http = TestPorts.GetFree();
        var p = prefix.Path;
        var conf = $$"""
            worker_processes 1;
            error_log {{p}}/error.log warn;
            pid {{p}}/nginx.pid;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {{p}}/tmp/body;
                proxy_temp_path {{p}}/tmp/proxy;
                fastcgi_temp_path {{p}}/tmp/fastcgi;
                uwsgi_temp_path {{p}}/tmp/uwsgi;
                scgi_temp_path {{p}}/tmp/scgi;
                server_tokens on;
            {{servers}}
            }
            """
            .Replace("{https}", $"127.0.0.1:{https.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
            .Replace("{http}", $"127.0.0.1:{http.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal)
            .Replace("{https-port}", https.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{cert}", certPath, StringComparison.Ordinal)
            .Replace("{key}", keyPath, StringComparison.Ordinal);
        var confPath = prefix.Write("nginx.conf", conf);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-c", confPath, "-p", p + "/", "-e", $"{p}/error.log", "-g", "daemon off;" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        var target = new NginxTarget(process, prefix, https, http);
        var stderr = process.StandardError.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        while (!await AcceptsAsync(https))
        {
            if (process.HasExited || watch.Elapsed > StartTimeout)
            {
                var log = target.ErrorLog;
                await target.DisposeAsync();
                Assert.Fail($"nginx did not start within {StartTimeout.TotalSeconds} s (exit {(process.HasExited ? process.ExitCode : -1)}):\n{await stderr}\n{log}\n{conf}");
            }
            await Task.Delay(20);
        }
        return target;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone.
        }
        _process.Dispose();
        _prefix.Dispose();
    }
}
