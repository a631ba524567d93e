using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Portcullis.Configuration;
using Portcullis.Firewall;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// Loads CRS through the gateway's own <see cref="FirewallRuleSets"/> (engine settings and body-processor rules
/// 200000-200004, crs-setup, the paranoia SecAction, rules/*.conf), so the benchmark runs exactly the rule set a site
/// with <c>waf: { crs: ..., paranoia: N, mode: block }</c> gets.
/// </summary>
internal static class CrsLoader
{
    public static LoadedCrs Load(int paranoia)
    {
        var waf = new WafConfig { CrsPath = CrsLocator.Find(), Paranoia = paranoia, Mode = WafMode.Block };
        var site = new SiteWafConfig { Mode = WafMode.Block, Paranoia = paranoia, DetectionParanoia = paranoia };
        var before = SettledHeapBytes();
        var started = Stopwatch.GetTimestamp();
        var rules = new FirewallRuleSets(NullLogger<FirewallRuleSets>.Instance).Get(waf, site);
        var firstLoad = Stopwatch.GetElapsedTime(started);
        var retained = SettledHeapBytes() - before;
        // FirewallRuleSets caches by settings and file times (per process), so a second load of the same files needs a
        // setting that changes the key but not the work: one byte more of request-body limit.
        var reload = waf with { RequestBodyLimit = waf.RequestBodyLimit + 1 };
        started = Stopwatch.GetTimestamp();
        var again = new FirewallRuleSets(NullLogger<FirewallRuleSets>.Instance).Get(reload, site);
        var secondLoad = Stopwatch.GetElapsedTime(started);
        GC.KeepAlive(again);
        var mode = new SiteFirewall(waf.Mode, rules, waf, hasCrs: true).EngineMode;
        return new LoadedCrs(rules, mode, firstLoad, secondLoad, retained);
    }

    /// <summary>The managed heap after a forced, compacting full collection (finalizers run, then collected again).</summary>
    private static long SettledHeapBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
