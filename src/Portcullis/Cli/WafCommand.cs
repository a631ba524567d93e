using System.CommandLine;
using Microsoft.Data.Sqlite;
using Portcullis.Configuration;
using Portcullis.Incidents;

namespace Portcullis.Cli;

/// <summary>
/// <c>portcullis waf explain ID [--config FILE] [--json]</c>: why the firewall blocked (or flagged) one request, and
/// the exclusion that would let it through. <c>portcullis waf report [--since 24h] [--config FILE] [--json]</c>:
/// blocks, would-be blocks, the top rules, paths and targets over a window, and exclusions for the most frequent.
/// Both read data_dir/incidents.db from the config, while the gateway may be writing it.
/// Exit 0 when printed, 1 when there is no such incident or the file cannot be read, 2 for bad arguments or config.
/// </summary>
internal static class WafCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The request id from the block page, X-Request-Id or the logs." };
        var explainConfig = ConfigOption.Create();
        var explainJson = new Option<bool>("--json") { Description = "Print the incident and the suggested exclusion as JSON." };
        var explain = new Command("explain", "Explain a blocked or flagged request by its id, with a suggested exclusion.") { id, explainConfig, explainJson };
        explain.SetAction(parse => Explain(parse.GetValue(id)!, parse.GetValue(explainConfig)!, parse.GetValue(explainJson), Console.Out, Console.Error));

        var since = new Option<string>("--since") { Description = "How far back: 90m, 24h, 7d.", DefaultValueFactory = _ => "24h", HelpName = "DURATION" };
        var reportConfig = ConfigOption.Create();
        var reportJson = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var report = new Command("report", "Sum up the WAF's incidents over a window: blocks, top rules, paths and targets, suggested exclusions.") { since, reportConfig, reportJson };
        report.SetAction(parse => Report(parse.GetValue(since)!, parse.GetValue(reportConfig)!, parse.GetValue(reportJson), Console.Out, Console.Error, TimeProvider.System));

        return new Command("waf", "Look into what the web application firewall blocked.") { explain, report };
    }

    public static int Explain(string id, string configPath, bool json, TextWriter output, TextWriter errors)
    {
        const string Prefix = "portcullis waf explain: ";
        if (id.Length is 0 or > 128)
        {
            errors.WriteLine($"{Prefix}give the request id (32 hex characters, from the block page or X-Request-Id).");
            return ExitCodes.UsageOrConfigError;
        }
        if (OpenReader(configPath, errors) is not { } reader)
        {
            return ExitCodes.UsageOrConfigError;
        }
        if (!reader.Exists)
        {
            errors.WriteLine($"{Prefix}no incidents recorded yet: {reader.Path} does not exist.");
            return ExitCodes.RuntimeFailure;
        }
        try
        {
            var incident = reader.Find(id) ?? reader.Find(id.Trim().ToLowerInvariant());
            if (incident is null)
            {
                errors.WriteLine($"{Prefix}no incident '{Printable.Escape(id)}' in {reader.Path}. Only requests the WAF blocked or flagged are kept, for the store's max_age (30 days by default).");
                return ExitCodes.RuntimeFailure;
            }
            output.Write(json ? IncidentExplainer.Json(incident) + "\n" : IncidentExplainer.Text(incident));
            return ExitCodes.Ok;
        }
        catch (SqliteException e)
        {
            errors.WriteLine($"{Prefix}cannot read {reader.Path}: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }

    public static int Report(string since, string configPath, bool json, TextWriter output, TextWriter errors, TimeProvider time)
    {
        const string Prefix = "portcullis waf report: ";
        if (!YamlValues.TryParseDuration(since, out var window) || window <= TimeSpan.Zero)
        {
            errors.WriteLine($"{Prefix}--since '{since}' is not a duration; write it with a unit, like 90m, 24h or 7d.");
            return ExitCodes.UsageOrConfigError;
        }
        if (OpenReader(configPath, errors) is not { } reader)
        {
            return ExitCodes.UsageOrConfigError;
        }
        var until = time.GetUtcNow();
        var from = window >= until - DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : until - window;
        IReadOnlyList<Incident> incidents = [];
        try
        {
            if (reader.Exists)
            {
                // One more than the limit tells a full window from a truncated one.
                incidents = reader.Query(from, until.AddMilliseconds(1), IncidentReader.DefaultLimit + 1);
            }
        }
        catch (SqliteException e)
        {
            errors.WriteLine($"{Prefix}cannot read {reader.Path}: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
        var truncated = incidents.Count > IncidentReader.DefaultLimit;
        var report = WafReport.Build(truncated ? [.. incidents.Take(IncidentReader.DefaultLimit)] : incidents, from, until, truncated);
        output.Write(json ? WafReportRenderer.Json(report) + "\n" : WafReportRenderer.Text(report));
        return ExitCodes.Ok;
    }

    /// <summary>The reader of data_dir/incidents.db for the config, or null (errors printed) when the config does not load.</summary>
    private static IncidentReader? OpenReader(string configPath, TextWriter errors)
    {
        var loaded = ConfigLoader.Load(configPath);
        if (!loaded.Succeeded)
        {
            ConfigErrorPrinter.Print(loaded, errors, "no data_dir to read incidents from.");
            return null;
        }
        return new IncidentReader(IncidentStoreOptions.ForDataDir(loaded.Config!.DataDir).Path);
    }
}
