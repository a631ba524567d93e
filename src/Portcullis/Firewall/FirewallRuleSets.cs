using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Waf.BuiltIn;
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

    /// <summary>The rule set for a site's settings; throws <see cref="RuleLoadException"/> when the rules do not load.</summary>
    public RuleSet Get(WafConfig waf, SiteWafConfig site)
    {
        var files = Files(waf, site);
        var key = Key(waf, site, files);
        if (Loaded.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var started = Stopwatch.GetTimestamp();
        var rules = RuleSetLoader.LoadSources(Sources(waf, site, files));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (waf.CrsPath is null)
        {
            LogNoCrs(logger);
        }
        LogLoaded(logger, rules.RuleCount, site.Paranoia, waf.CrsPath ?? "(no CRS)", elapsed, rules.SetupRules, rules.FoldedGates);
        // One entry per distinct setting; drop entries of older generations of the same files.
        foreach (var stale in Loaded.Keys.Where(k => k.StartsWith(KeyPrefix(waf, site), StringComparison.Ordinal) && k != key))
        {
            Loaded.TryRemove(stale, out _);
        }
        Loaded[key] = rules;
        return rules;
    }

    /// <summary>
    /// The engine settings, the CRS setup, the site's settings and request-time exclusions, the rule files, the CRS
    /// rules (or, without CRS, the built-in rules), then the load-time removals (CRS's own order for exclusions: before-CRS and after-CRS).
    /// </summary>
    private static List<(string Text, string FileName)> Sources(WafConfig waf, SiteWafConfig site, List<string> files)
    {
        var sources = new List<(string Text, string FileName)> { (BaseRules.Engine(waf), BaseRules.FileName) };
        var rest = files.AsEnumerable();
        if (waf.CrsPath is not null)
        {
            sources.Add((ReadRuleFile(files[0]), files[0]));
            rest = files.Skip(1);
        }
        sources.Add((SiteRules.Settings(site), SiteRules.SettingsFileName));
        sources.Add((SiteRules.Exclusions(site.Exclusions), SiteRules.ExclusionsFileName));
        sources.AddRange(rest.Select(file => (ReadRuleFile(file), file)));
        if (waf.CrsPath is null)
        {
            sources.Add((BuiltInRules.Text, BuiltInRules.SourceName));
        }
        sources.Add((SiteRules.Removals(site.Exclusions), SiteRules.RemovalsFileName));
        return sources;
    }

    /// <summary>Loads the rule sets every site would run, returning each rule error as a "file:line: reason" line.</summary>
    public static IReadOnlyList<string> Validate(GatewayConfig config)
    {
        var rules = new FirewallRuleSets(Microsoft.Extensions.Logging.Abstractions.NullLogger<FirewallRuleSets>.Instance);
        var errors = new List<string>();
        foreach (var site in config.Sites.Where(s => s.Waf.Mode != WafMode.Off).Select(s => s.Waf).DistinctBy(w => w.RuleSetKey))
        {
            try
            {
                rules.Get(config.Waf, site);
            }
            catch (RuleLoadException e)
            {
                errors.AddRange(e.Errors.Select(error => error.ToString()).Where(line => !errors.Contains(line)));
            }
        }
        return errors;
    }

    /// <summary>The setup file, the gateway's and the site's rule files, then CRS's rules/*.conf in name order.</summary>
    private static List<string> Files(WafConfig waf, SiteWafConfig site)
    {
        var files = new List<string>();
        if (waf.CrsPath is not null)
        {
            var setup = Path.Combine(waf.CrsPath, "crs-setup.conf");
            files.Add(File.Exists(setup) ? setup : setup + ".example");
        }
        files.AddRange(waf.RuleFiles);
        files.AddRange(site.RuleFiles);
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

    private static string KeyPrefix(WafConfig waf, SiteWafConfig site) =>
        $"{site.RuleSetKey}|{waf.CrsPath}|{string.Join(';', waf.RuleFiles)}|{waf.RequestBodyLimit}|{waf.RequestBodyLimitPartial}|{waf.ResponseBodyLimit}|{string.Join(' ', waf.ResponseMimeTypes)}|";

    private static string Key(WafConfig waf, SiteWafConfig site, List<string> files) =>
        KeyPrefix(waf, site) + string.Join(';', files.Select(f => $"{f}@{File.GetLastWriteTimeUtc(f).Ticks}"));

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "WAF: no OWASP Core Rule Set configured (waf.crs), so the small built-in rule set runs (SQLi, XSS, traversal/LFI, RCE, Log4Shell, shellshock, SSRF, SSTI, scanners, protocol abuse); for full coverage run 'portcullis crs fetch' and set waf.crs")]
    private static partial void LogNoCrs(ILogger logger);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "WAF rules loaded: {RuleCount} rules at paranoia level {Paranoia} from {Crs} in {Milliseconds:F0} ms; {SetupRules} setup rules run once, {FoldedGates} checks of their settings answered at load")]
    private static partial void LogLoaded(ILogger logger, int ruleCount, int paranoia, string crs, double milliseconds, int setupRules, int foldedGates);
}
