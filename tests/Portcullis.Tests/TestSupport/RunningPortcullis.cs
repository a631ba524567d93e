using System.Diagnostics;
using System.Text;

namespace Portcullis.Tests.TestSupport;

/// <summary>A long-running <c>portcullis ARGS</c> child process (like <c>portcullis run</c>), killed on dispose; its output is kept.</summary>
internal sealed class RunningPortcullis : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningPortcullis(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>stdout and stderr as printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static RunningPortcullis Start(params string[] args) => Start(args, new Dictionary<string, string>());

    /// <summary>Starts <c>portcullis ARGS</c> with extra environment variables (e.g. SSL_CERT_FILE for a private trust store).</summary>
    public static RunningPortcullis Start(string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var process = new Process { StartInfo = PortcullisProcess.StartInfo(args, environment) };
        var running = new RunningPortcullis(process);
        process.OutputDataReceived += (_, e) => running.Append(e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
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
    }
}
