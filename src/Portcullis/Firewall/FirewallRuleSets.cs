using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Waf.Rules;

namespace Portcullis.Firewall;

/// <summary>
/// Loads rule sets for the sites' firewall settings and keeps them: sites with the same paranoia share one, and a
/// reload that leaves the rules and their files unchanged reuses the loaded set instead of compiling CRS again.
/// The cache is per process (a rule set is immutable), so hosts started one after another share it too.
/// </summary>
internal sealed partial class FirewallRuleSets(ILogger<FirewallRuleSets> logger)
{
    private static readonly ConcurrentDictionary<string, RuleSet> Loaded = new(StringComparer.Ordinal);

    /// <summary>The rule set for these settings; throws <see cref="RuleLoadException"/> when the rules do not load.</summary>
    public RuleSet Get(WafConfig waf, int paranoia)
    {
        var files = Files(waf);
        var key = Key(waf, paranoia, files);
        if (Loaded.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var started = Stopwatch.GetTimestamp();
        var sources = new List<(string Text, string FileName)> { (BaseRules.Engine(waf), BaseRules.FileName) };
        if (waf.CrsPath is not null)
        {
            sources.Add((ReadRuleFile(files[0]), files[0]));
            sources.Add((BaseRules.Paranoia(paranoia), BaseRules.ParanoiaFileName));
        }
        foreach (var file in waf.CrsPath is null ? files : files.Skip(1))
        {
            sources.Add((ReadRuleFile(file), file));
        }
        if (waf.CrsPath is null)
        {
            LogNoCrs(logger);
        }
        var rules = RuleSetLoader.LoadSources(sources);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogLoaded(logger, rules.RuleCount, paranoia, waf.CrsPath ?? "(no CRS)", elapsed);
        // One entry per distinct setting; drop entries of older generations of the same files.
        foreach (var stale in Loaded.Keys.Where(k => k.StartsWith(KeyPrefix(waf, paranoia), StringComparison.Ordinal) && k != key))
        {
            Loaded.TryRemove(stale, out _);
        }
        Loaded[key] = rules;
        return rules;
    }

    /// <summary>Loads the rule sets every site would run, returning each rule error as a "file:line: reason" line.</summary>
    public static IReadOnlyList<string> Validate(GatewayConfig config)
    {
        var rules = new FirewallRuleSets(Microsoft.Extensions.Logging.Abstractions.NullLogger<FirewallRuleSets>.Instance);
        var errors = new List<string>();
        foreach (var paranoia in config.Sites.Where(s => s.Waf.Mode != WafMode.Off).Select(s => s.Waf.Paranoia).Distinct())
        {
            try
            {
                rules.Get(config.Waf, paranoia);
            }
            catch (RuleLoadException e)
            {
                errors.AddRange(e.Errors.Select(error => error.ToString()).Where(line => !errors.Contains(line)));
            }
        }
        return errors;
    }

    /// <summary>The setup file, the configured rule files, then CRS's rules/*.conf in name order.</summary>
    private static List<string> Files(WafConfig waf)
    {
        var files = new List<string>();
        if (waf.CrsPath is not null)
        {
            var setup = Path.Combine(waf.CrsPath, "crs-setup.conf");
            files.Add(File.Exists(setup) ? setup : setup + ".example");
        }
        files.AddRange(waf.RuleFiles);
        if (waf.CrsPath is not null)
        {
            files.AddRange(Directory.GetFiles(Path.Combine(waf.CrsPath, "rules"), "*.conf").Order(StringComparer.Ordinal));
        }
        return files;
    }

    private static string ReadRuleFile(string path)
    {
        try
        {
            return File.ReadAllText(path, System.Text.Encoding.Latin1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RuleLoadException([new RuleLoadError(path, 0, "", $"cannot read the rule file: {e.Message}")]);
        }
    }

    private static string KeyPrefix(WafConfig waf, int paranoia) =>
        $"{paranoia}|{waf.CrsPath}|{string.Join(';', waf.RuleFiles)}|{waf.RequestBodyLimit}|{waf.RequestBodyLimitPartial}|{waf.ResponseBodyLimit}|{string.Join(' ', waf.ResponseMimeTypes)}|";

    private static string Key(WafConfig waf, int paranoia, List<string> files) =>
        KeyPrefix(waf, paranoia) + string.Join(';', files.Select(f => $"{f}@{File.GetLastWriteTimeUtc(f).Ticks}"));

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "WAF: no OWASP Core Rule Set configured (waf.crs); only the request-body checks run")]
    private static partial void LogNoCrs(ILogger logger);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "WAF rules loaded: {RuleCount} rules at paranoia level {Paranoia} from {Crs} in {Milliseconds:F0} ms")]
    private static partial void LogLoaded(ILogger logger, int ruleCount, int paranoia, string crs, double milliseconds);
}
