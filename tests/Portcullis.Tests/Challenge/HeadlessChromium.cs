using System.Diagnostics;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Challenge;

/// <summary>
/// The real browser: Debian's chromium in headless mode (test.sh installs it), loading a URL and printing the DOM it
/// ends up with. Host names are mapped to 127.0.0.1 inside the browser, so SNI and Host carry the site's name; the
/// gateway's self-signed certificate is accepted with --ignore-certificate-errors (still a secure context, so
/// WebCrypto and Secure cookies work). Every run has its own profile directory and a hard timeout, and is killed
/// if it outlives it.
/// </summary>
internal static class HeadlessChromium
{
    public static async Task<string> DumpDomAsync(string url, string hostName, TimeSpan timeout) =>
        (await LoadAsync(url, hostName, timeout)).Dom;

    /// <summary>
    /// Like <see cref="DumpDomAsync"/>, plus the browser's log (stderr with --enable-logging), where Chromium writes
    /// every console message as <c>INFO:CONSOLE</c>, including each Content Security Policy violation.
    /// </summary>
    public static async Task<(string Dom, string Log)> LoadAsync(string url, string hostName, TimeSpan timeout)
    {
        using var profile = new TempDirectory();
        var start = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--ignore-certificate-errors", "--enable-logging=stderr", "--v=0", $"--user-data-dir={profile.Path}", $"--host-resolver-rules=MAP {hostName} 127.0.0.1",
                     // Virtual time lets the page's timers and promises run without waiting on the wall clock; the budget
                     // caps how long the page may keep working (the solve, the post, the redirect) before the DOM is printed.
                     $"--virtual-time-budget={(int)timeout.TotalMilliseconds}", "--dump-dom", url,
                 })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        using var deadline = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return (await stdout, await stderr);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"chromium did not finish {url} in {timeout + TimeSpan.FromSeconds(60)}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            _ = await Task.WhenAny(stderr, Task.Delay(1000));
        }
    }
}
