using System.CommandLine;
using System.Globalization;
using System.Net;
using Portcullis.Audit;
using Portcullis.Audit.Report;
using Portcullis.Configuration;
using Spectre.Console;

namespace Portcullis.Cli;

/// <summary>
/// <c>portcullis audit HOST[:PORT] [--sni NAME] [--ip ADDR] [--ca FILE] [--http-port N] [--json] [--fail-under GRADE]</c>
/// and <c>portcullis audit --self [--config FILE]</c>: "is this port 443 safe to have open?" for any server, as one
/// report with a TLS grade, an HTTP header grade and a fix for every finding (docs/audit.md). Exit codes: 0 audited
/// (and --fail-under met), 1 a grade below --fail-under, 2 bad command line or config, 3 target unreachable.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var target = new Argument<string?>("target") { Description = "HOST[:PORT] to audit (port 443 by default).", Arity = ArgumentArity.ZeroOrOne };
        var sni = new Option<string?>("--sni") { Description = "Server name to send (default: HOST unless it is an address).", HelpName = "NAME" };
        var ip = new Option<string?>("--ip") { Description = "Connect to this address instead of resolving HOST.", HelpName = "ADDR" };
        var ca = new Option<string?>("--ca") { Description = "Extra trusted root certificates (PEM), added to the system store.", HelpName = "FILE" };
        var httpPort = new Option<int>("--http-port") { Description = "Plain-HTTP port checked for a redirect to HTTPS; 0 skips the check.", DefaultValueFactory = _ => 80, HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (schema in docs/audit.md)." };
        var failUnder = new Option<string?>("--fail-under") { Description = "Exit 1 when a grade is below GRADE (A+, A, A-, B, C, ...).", HelpName = "GRADE" };
        var self = new Option<bool>("--self") { Description = "Audit this gateway's own HTTPS sites, from its config." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for each connection and answer.", DefaultValueFactory = _ => 5, HelpName = "SECONDS" };
        var config = ConfigOption.Create();
        var command = new Command("audit", "Grade a server's TLS and HTTP security headers, with a fix for each finding.")
        {
            target, sni, ip, ca, httpPort, json, failUnder, self, config, timeout,
        };
        command.SetAction((parse, ct) => RunAsync(
            new AuditOptions(parse.GetValue(target), parse.GetValue(sni), parse.GetValue(ip), parse.GetValue(ca), parse.GetValue(httpPort),
                parse.GetValue(json), parse.GetValue(failUnder), parse.GetValue(self), parse.GetValue(config)!, parse.GetValue(timeout)),
            AuditRunner.Default, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected, ct));
        return command;
    }

    public static async Task<int> RunAsync(AuditOptions options, AuditRunner runner, TextWriter output, TextWriter errors, bool interactive, CancellationToken ct)
    {
        if (options.FailUnder is not null && !Grade.Order.Contains(options.FailUnder))
        {
            await errors.WriteLineAsync($"portcullis audit: --fail-under '{options.FailUnder}' is not a grade; use one of {string.Join(", ", Grade.Order)}.");
            return ExitCodes.UsageOrConfigError;
        }
        var targets = options.Self ? SelfTargets(options, errors) : CommandLineTarget(options, errors);
        if (targets is null)
        {
            return ExitCodes.UsageOrConfigError;
        }
        var reports = new List<AuditReport>();
        foreach (var (label, target) in targets)
        {
            try
            {
                reports.Add(await AuditAsync(runner, target, label, interactive && !options.Json, ct));
            }
            catch (AuditUnreachableException e)
            {
                await errors.WriteLineAsync($"portcullis audit: {target.Host}:{target.Port}{label} is unreachable: {e.Message}");
                return ExitCodes.AuditUnreachable;
            }
        }
        var now = TimeProvider.System.GetUtcNow();
        if (options.Json)
        {
            await output.WriteLineAsync(AuditJsonWriter.Write(reports, options.FailUnder, now, asArray: options.Self));
        }
        else
        {
            var console = interactive ? AnsiConsole.Console : ConsoleReportWriter.PlainConsole(output);
            foreach (var report in reports)
            {
                ConsoleReportWriter.Write(console, report, options.FailUnder, now);
            }
            if (!runner.ChecksTls)
            {
                console.MarkupLine("[grey]Note: TLS probing and the SSL Labs grade are not part of this build yet; only the HTTP checks ran.[/]");
            }
        }
        await output.FlushAsync(ct);
        if (options.FailUnder is { } minimum && reports.Any(r => !r.Meets(minimum)))
        {
            await errors.WriteLineAsync($"portcullis audit: a grade is below --fail-under {minimum}.");
            return ExitCodes.AuditBelowMinimum;
        }
        return ExitCodes.Ok;
    }

    private static async Task<AuditReport> AuditAsync(AuditRunner runner, AuditTarget target, string label, bool showProgress, CancellationToken ct)
    {
        if (!showProgress)
        {
            return await runner.RunAsync(target, progress: null, ct);
        }
        return await AnsiConsole.Status().StartAsync($"Auditing {Markup.Escape($"{target.Host}:{target.Port}{label}")}…", async status =>
        {
            var progress = new StatusProgress(status);
            return await runner.RunAsync(target, progress, ct);
        });
    }

    private static List<(string Label, AuditTarget Target)>? CommandLineTarget(AuditOptions options, TextWriter errors)
    {
        if (options.Target is null)
        {
            errors.WriteLine("portcullis audit: say what to audit, e.g. 'portcullis audit example.com' or 'portcullis audit --self'.");
            return null;
        }
        if (!TryParseHostPort(options.Target, out var host, out var port))
        {
            errors.WriteLine($"portcullis audit: '{options.Target}' is not HOST[:PORT] (write an IPv6 address as [::1]:443).");
            return null;
        }
        IPAddress? address = null;
        if (options.Ip is not null && !IPAddress.TryParse(options.Ip, out address))
        {
            errors.WriteLine($"portcullis audit: --ip '{options.Ip}' is not an IP address.");
            return null;
        }
        if (options.Ca is not null && !File.Exists(options.Ca))
        {
            errors.WriteLine($"portcullis audit: --ca '{options.Ca}' does not exist.");
            return null;
        }
        if (options.HttpPort is < 0 or > 65535 || options.TimeoutSeconds is <= 0 or > 300)
        {
            errors.WriteLine("portcullis audit: --http-port must be 0-65535 and --timeout 0-300 seconds.");
            return null;
        }
        var target = new AuditTarget(host, port, options.Sni, address, options.Ca is null ? null : Path.GetFullPath(options.Ca), options.HttpPort,
            TimeSpan.FromSeconds(options.TimeoutSeconds));
        return [("", target)];
    }

    private static List<(string Label, AuditTarget Target)>? SelfTargets(AuditOptions options, TextWriter errors)
    {
        if (options.Target is not null)
        {
            errors.WriteLine("portcullis audit: --self audits the sites in --config; give no HOST with it.");
            return null;
        }
        var result = ConfigLoader.Load(options.ConfigPath);
        if (!result.Succeeded)
        {
            ConfigErrorPrinter.Print(result, errors, "nothing audited.");
            return null;
        }
        return [.. SelfAuditTargets.From(result.Config!).Select(s => ($" (site {s.Site})", s.Target with { Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) }))];
    }

    /// <summary>"host", "host:8443", "[::1]:8443", "::1" (a bare IPv6 address has no port).</summary>
    internal static bool TryParseHostPort(string text, out string host, out int port)
    {
        host = text.Trim();
        port = 443;
        if (host.Length == 0)
        {
            return false;
        }
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            if (end < 0 || !IPAddress.TryParse(host[1..end], out _))
            {
                return false;
            }
            var rest = host[(end + 1)..];
            host = host[1..end];
            return rest.Length == 0 || (rest[0] == ':' && TryPort(rest[1..], out port));
        }
        if (host.Count(c => c == ':') > 1)
        {
            return IPAddress.TryParse(host, out _);
        }
        var colon = host.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            var name = host[..colon];
            if (!TryPort(host[(colon + 1)..], out port) || name.Length == 0)
            {
                return false;
            }
            host = name;
        }
        return Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;

    /// <summary>Shows the latest probe step in the spinner line.</summary>
    private sealed class StatusProgress(StatusContext status) : IProgress<string>
    {
        private readonly Lock _lock = new();

        public void Report(string value)
        {
            lock (_lock)
            {
                status.Status(Markup.Escape(value));
            }
        }
    }
}
