using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;

namespace Portcullis.Tests.Audit.Targets;

/// <summary>
/// The reference scanner: <c>sslscan --xml=-</c> (2.0.7, Debian) run against the same target, so the audit's
/// protocol and suite lists are checked against an independent implementation rather than against expectations
/// written into the test.
/// </summary>
internal sealed record SslScan(IReadOnlySet<string> Protocols, IReadOnlyDictionary<string, IReadOnlySet<ushort>> Suites, IReadOnlySet<string> Groups, string Xml)
{
    public const string Executable = "/usr/bin/sslscan";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Scans 127.0.0.1:<paramref name="port"/> with SNI <paramref name="sni"/>; fails the test if sslscan does not finish in <see cref="Timeout"/>.</summary>
    public static async Task<SslScan> RunAsync(int port, string sni)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--xml=-", "--no-colour", "--no-heartbleed", "--sni-name=" + sni, "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start sslscan");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"sslscan did not finish within {Timeout.TotalSeconds} s");
        }
        var output = await stdout;
        var xml = output[output.IndexOf("<?xml", StringComparison.Ordinal)..];
        var test = XDocument.Parse(xml).Descendants("ssltest").Single();
        var protocols = test.Elements("protocol").Where(p => (string?)p.Attribute("enabled") == "1")
            .Select(p => (string)p.Attribute("type")! == "ssl" ? "SSLv" + (string)p.Attribute("version")! : "TLSv" + (string)p.Attribute("version")!)
            .ToHashSet();
        var suites = test.Elements("cipher")
            .GroupBy(c => (string)c.Attribute("sslversion")!)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<ushort>)g.Select(c => ushort.Parse(((string)c.Attribute("id")!)[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToHashSet());
        var groups = test.Elements("group").Select(g => ((string)g.Attribute("name")!).Split(' ')[0]).ToHashSet();
        _ = await stderr;
        return new SslScan(protocols, suites, groups, xml);
    }
}
