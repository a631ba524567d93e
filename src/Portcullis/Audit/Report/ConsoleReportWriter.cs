using System.Globalization;
using Portcullis.Audit.Grading;
using Spectre.Console;

namespace Portcullis.Audit.Report;

/// <summary>
/// The human report: sections Connection, TLS, Certificate and HTTP, each with its findings worst first and their
/// fixes (Portcullis and nginx), then a summary with both grades.
/// </summary>
internal static class ConsoleReportWriter
{
    /// <summary>The headers shown in the HTTP section (the ones the tests read), in this order.</summary>
    private static readonly string[] ShownHeaders =
    [
        "Strict-Transport-Security", "Content-Security-Policy", "Content-Security-Policy-Report-Only", "X-Frame-Options",
        "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Resource-Policy", "Cross-Origin-Opener-Policy",
        "Cross-Origin-Embedder-Policy", "Access-Control-Allow-Origin", "Set-Cookie", "Server", "X-Powered-By",
        "X-AspNet-Version", "X-AspNetMvc-Version",
    ];

    /// <summary>A console for text output (files, pipes, tests): no colours, no cursor tricks, a fixed width.</summary>
    public static IAnsiConsole PlainConsole(TextWriter writer, int width = 120)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        return console;
    }

    public static void Write(IAnsiConsole console, AuditReport report, string? failUnder, DateTimeOffset now)
    {
        var t = report.Target;
        console.Write(new Rule($"[bold]portcullis audit[/] {Markup.Escape($"{t.Host}:{t.Port}")}").LeftJustified());
        Connection(console, report);
        Tls(console, report);
        Certificate(console, report, now);
        Http(console, report);
        Summary(console, report, failUnder);
    }

    private static void Connection(IAnsiConsole console, AuditReport report)
    {
        var t = report.Target;
        Section(console, "Connection");
        var grid = Facts();
        Fact(grid, "target", $"{t.Host}:{t.Port}");
        Fact(grid, "connected to", t.Address?.ToString() ?? "(resolved)");
        Fact(grid, "SNI", t.ServerName ?? "(none: the target is an address)");
        Fact(grid, "trust", t.CaFile is null ? "system store" : $"system store + {t.CaFile}");
        Fact(grid, "HTTPS GET /", report.Http.Page is { } page ? $"{page.Status} in {Ms(page.Elapsed)}" : $"failed: {report.Http.PageError}");
        Fact(grid, $"HTTP :{t.HttpPort}", HttpRoute(report));
        Fact(grid, "took", $"{Ms(report.Timings.Total)} (TLS {(report.Timings.Tls is { } tls ? Ms(tls) : "-")}, HTTP {Ms(report.Timings.Http)})");
        console.Write(grid);
        Findings(console, report, AuditArea.Connection);
    }

    private static void Tls(IAnsiConsole console, AuditReport report)
    {
        Section(console, "TLS");
        if (report.Tls is not { } tls)
        {
            console.MarkupLine("[grey]TLS probing is not part of this build yet: no protocol, suite or SSL Labs grade.[/]");
            return;
        }
        var table = new Table().AddColumn("protocol").AddColumn("accepted").AddColumn("suites");
        foreach (var p in tls.Probe.Protocols)
        {
            var suites = tls.Probe.Suites.TryGetValue(p.Version, out var list) ? string.Join("\n", list.Select(s => s.Name)) : "";
            table.AddRow(Markup.Escape(AuditJsonWriter.Name(p.Version)), p.Accepted switch { true => "[green]yes[/]", false => "no", null => $"? {Markup.Escape(p.Note ?? "")}" },
                Markup.Escape(suites));
        }
        console.Write(table);
        var grid = Facts();
        Fact(grid, "server order", YesNo(tls.Probe.ServerEnforcesOrder));
        Fact(grid, "groups", string.Join(", ", tls.Probe.Groups));
        Fact(grid, "secure renegotiation", YesNo(tls.Probe.SecureRenegotiation));
        Fact(grid, "compression", YesNo(tls.Probe.Compression));
        Fact(grid, "fallback SCSV", YesNo(tls.Probe.FallbackScsv));
        Fact(grid, "OCSP stapled", YesNo(tls.Probe.OcspStapled));
        console.Write(grid);
        Findings(console, report, AuditArea.Tls);
    }

    private static void Certificate(IAnsiConsole console, AuditReport report, DateTimeOffset now)
    {
        Section(console, "Certificate");
        if (report.Tls?.Certificate is not { } c)
        {
            console.MarkupLine(report.Tls is null ? "[grey]Checked by the TLS probes (not part of this build yet).[/]" : "[grey]No certificate could be read.[/]");
            Findings(console, report, AuditArea.Certificate);
            return;
        }
        var table = new Table().AddColumn("#").AddColumn("subject").AddColumn("issuer").AddColumn("key").AddColumn("signature").AddColumn("expires");
        for (var i = 0; i < c.Chain.Count; i++)
        {
            var s = c.Chain[i];
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), Markup.Escape(s.Subject), Markup.Escape(s.Issuer), Markup.Escape($"{s.KeyType} {s.KeyBits}"),
                Markup.Escape(s.SignatureAlgorithm), Markup.Escape($"{s.NotAfter:yyyy-MM-dd} ({Math.Floor((s.NotAfter - now).TotalDays):0} days)"));
        }
        console.Write(table);
        var grid = Facts();
        Fact(grid, "names", string.Join(", ", c.Leaf.Names));
        Fact(grid, "trusted", c.Trusted ? "yes" : $"no: {c.TrustProblem}");
        Fact(grid, "name matches", c.NameMatches ? "yes" : "no");
        Fact(grid, "chain", $"{(c.InOrder ? "in order" : "out of order")}, {(c.Complete ? "complete" : "incomplete")}");
        console.Write(grid);
        Findings(console, report, AuditArea.Certificate);
    }

    private static void Http(IAnsiConsole console, AuditReport report)
    {
        Section(console, "HTTP");
        if (report.Http.Page is { } page)
        {
            var headers = new Table().AddColumn("header").AddColumn("value");
            foreach (var name in ShownHeaders)
            {
                foreach (var value in page.Headers.All(name))
                {
                    headers.AddRow(Markup.Escape(name), Markup.Escape(value.Length > 160 ? value[..160] + "…" : value));
                }
            }
            console.Write(headers);
            var tests = new Table().AddColumn("Observatory test").AddColumn("result").AddColumn(new TableColumn("points").RightAligned());
            foreach (var outcome in report.Http.Outcomes)
            {
                var score = ObservatoryScoreTable.Scores[outcome];
                var colour = score.Modifier < 0 ? "red" : score.Modifier > 0 ? "green" : "default";
                tests.AddRow(Markup.Escape(score.Test), Markup.Escape(score.Description), $"[{colour}]{score.Modifier:+0;-0;0}[/]");
            }
            console.Write(tests);
        }
        Findings(console, report, AuditArea.Http);
    }

    private static void Summary(IAnsiConsole console, AuditReport report, string? failUnder)
    {
        Section(console, "Summary");
        var grid = Facts();
        Fact(grid, "TLS (SSL Labs 2009r)", report.TlsGrade is { } tls ? $"{tls.Letter} ({tls.Score})" : "not checked");
        Fact(grid, "HTTP (Observatory)", report.HttpGrade is { } http ? $"{http.Letter} ({http.Score})" : "no HTTPS page");
        var counts = report.Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        Fact(grid, "findings", report.Findings.Count == 0 ? "none" : string.Join(", ", counts));
        if (failUnder is not null)
        {
            Fact(grid, "--fail-under", report.Meets(failUnder) ? $"{failUnder}: met" : $"{failUnder}: NOT met");
        }
        console.Write(grid);
        foreach (var reason in report.HttpGrade?.Reasons ?? [])
        {
            console.MarkupLine($"  [grey]{Markup.Escape(reason)}[/]");
        }
    }

    private static void Findings(IAnsiConsole console, AuditReport report, AuditArea area)
    {
        foreach (var f in report.Findings.Where(f => f.Area == area))
        {
            console.WriteLine();
            console.MarkupLine($"[{Colour(f.Severity)}]{f.Severity.ToString().ToUpperInvariant()}[/] {Markup.Escape(f.Title)} [grey]({Markup.Escape(f.Id)})[/]");
            console.MarkupLine($"  why: {Markup.Escape(f.Why)}");
            if (f.Fix is not null)
            {
                console.MarkupLine($"  fix: {Markup.Escape(f.Fix)}");
            }
            Snippet(console, "Portcullis", f.PortcullisFix);
            Snippet(console, "nginx", f.NginxFix);
        }
    }

    private static void Snippet(IAnsiConsole console, string title, string? text)
    {
        if (text is null)
        {
            return;
        }
        console.Write(new Panel(new Text(text)).Header(title).Border(BoxBorder.Rounded).Padding(1, 0));
    }

    private static string HttpRoute(AuditReport report)
    {
        var route = report.Http.Redirects;
        var chain = string.Join(" → ", route.Select(h => h.Status is { } s ? $"{s} {h.Url}" : $"{h.Url}"));
        return report.Http.HttpNote is { } note ? (chain.Length > 0 ? $"{chain} ({note})" : note) : chain;
    }

    private static void Section(IAnsiConsole console, string title)
    {
        console.WriteLine();
        console.Write(new Rule($"[bold]{title}[/]").LeftJustified());
    }

    private static Grid Facts() => new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();

    private static void Fact(Grid grid, string name, string value) => grid.AddRow(new Text(name), new Text(value));

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", null => "could not tell" };

    private static string Ms(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:0} ms");

    private static string Colour(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Critical => "bold red",
        FindingSeverity.High => "red",
        FindingSeverity.Medium => "yellow",
        FindingSeverity.Low => "blue",
        _ => "grey",
    };
}
