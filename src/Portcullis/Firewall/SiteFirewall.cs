using Portcullis.Configuration;
using Portcullis.Waf.Rules;

namespace Portcullis.Firewall;

/// <summary>A site's firewall at run time: its mode and the loaded rule set (shared by sites with the same settings).</summary>
internal sealed class SiteFirewall(WafMode mode, RuleSet rules, WafConfig settings, bool hasCrs)
{
    public WafMode Mode { get; } = mode;

    public RuleSet Rules { get; } = rules;

    public WafConfig Settings { get; } = settings;

    /// <summary>False when no CRS is configured: only the base request-body checks run.</summary>
    public bool HasCrs { get; } = hasCrs;

    public RuleEngineMode EngineMode => Mode == WafMode.Block ? RuleEngineMode.On : RuleEngineMode.DetectionOnly;
}
