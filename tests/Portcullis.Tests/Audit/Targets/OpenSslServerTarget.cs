using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Audit.Targets;

/// <summary>
/// A real TLS server to audit: <c>openssl s_server -accept 127.0.0.1:PORT -www</c> with the given certificate and
/// options (<c>-no_tls1_3</c>, <c>-cipher</c>, <c>-ciphersuites</c>, <c>-serverpref</c>, ...), on a free loopback port.
/// It serves connections one after another for as long as it runs (no <c>-naccept</c>). Started only once it printed
/// ACCEPT; killed with its process tree on dispose and after <see cref="MaxLifetime"/> whatever happens.
/// </summary>
internal sealed class OpenSslServerTarget : IAsyncDisposable
{
    /// <summary>Bounds a server a crashed test run would leave listening.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Starting takes milliseconds; 30 s only bounds a hung start on a loaded two-core machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _accepting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new(MaxLifetime);

    private OpenSslServerTarget(int port, IReadOnlyList<string> arguments)
    {
        Port = port;
        var start = new ProcessStartInfo(OpenSsl.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        CommandLine = "openssl " + string.Join(' ', arguments);
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + CommandLine);
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _lifetime.Token.Register(Kill);
    }

    public int Port { get; }

    public string CommandLine { get; }

    /// <summary>What s_server printed, for failure messages.</summary>
    public string Log => string.Join('\n', _log.Take(200));

    /// <summary>Starts s_server with the leaf <paramref name="certs"/>.Cert, its key, and the intermediates it sends (<c>-cert_chain</c>, when any), plus <paramref name="options"/>.</summary>
    public static async Task<OpenSslServerTarget> StartAsync(TestPki.Files certs, params string[] options)
    {
        var port = TestPorts.GetFree();
        string[] chain = certs.Chain is { } path ? ["-cert_chain", path] : [];
        var target = new OpenSslServerTarget(port,
            ["s_server", "-accept", "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), "-cert", certs.Cert, "-key", certs.Key, .. chain, "-www", .. options]);
        // Ready when it printed ACCEPT or, should its output be buffered, when the port takes a connection.
        var watch = Stopwatch.StartNew();
        while (!target._accepting.Task.IsCompleted && !await target.AcceptsAsync())
        {
            if (watch.Elapsed > StartTimeout)
            {
                var log = target.Log;
                await target.DisposeAsync();
                Assert.Fail($"{target.CommandLine} did not start listening within {StartTimeout.TotalSeconds} s\n{log}");
            }
            await Task.Delay(100);
        }
        if (target._process.HasExited)
        {
            var log = target.Log;
            await target.DisposeAsync();
            Assert.Fail($"{target.CommandLine} exited at once\n{log}");
        }
        return target;
    }

    private async Task<bool> AcceptsAsync()
    {
        using var client = new TcpClient();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, deadline.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            _accepting.TrySetResult(); // the process ended: let the start check see HasExited
            return;
        }
        if (_log.Count < 2000)
        {
            _log.Enqueue(line);
        }
        if (line.StartsWith("ACCEPT", StringComparison.Ordinal))
        {
            _accepting.TrySetResult();
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        using var deadline = new CancellationTokenSource(OpenSsl.DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time; nothing more to do from here.
        }
        _process.Dispose();
        _lifetime.Dispose();
    }
}
