using Portcullis.Waf.Rules;

namespace Portcullis.Benchmarks.Waf;

/// <summary>A CRS rule set as the gateway loads it, with what loading it cost.</summary>
/// <param name="Rules">The loaded rule set.</param>
/// <param name="EngineMode">The engine mode the gateway gives a site in this WAF mode.</param>
/// <param name="FirstLoad">The first load in the process: includes JIT-compiling the loader.</param>
/// <param name="SecondLoad">A second, warm load of the same files (what a config reload with changed rules costs).</param>
/// <param name="RetainedBytes">Managed heap growth after a forced full GC while only the first rule set is alive.</param>
internal sealed record LoadedCrs(RuleSet Rules, RuleEngineMode EngineMode, TimeSpan FirstLoad, TimeSpan SecondLoad, long RetainedBytes)
{
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"CRS rule set: {Rules.RuleCount} rules, retained {RetainedBytes / (1024.0 * 1024.0):F1} MiB, first load {FirstLoad.TotalMilliseconds:F0} ms, second load {SecondLoad.TotalMilliseconds:F0} ms, {Rules.SetupRules} setup rules run once, {Rules.FoldedGates} gates folded");
}
