using System.Globalization;
using System.Text;
using Portcullis.Configuration;

namespace Portcullis.Firewall;

/// <summary>
/// A site's <c>waf:</c> tuning as SecLang, the way a CRS user writes it by hand: paranoia levels and anomaly
/// thresholds as TX settings after crs-setup (CRS only sets its defaults when these are unset), exclusions that depend
/// on the request as <c>ctl:</c> actions in phase 1 before the CRS rules (REQUEST-900's place), and unconditional
/// whole-rule exclusions as <c>SecRuleRemoveById</c>/<c>ByTag</c> after them (RESPONSE-999's place), which costs nothing
/// per request.
/// </summary>
internal static class SiteRules
{
    public const string SettingsFileName = "<portcullis-site-settings>";
    public const string ExclusionsFileName = "<portcullis-exclusions>";
    public const string RemovalsFileName = "<portcullis-removals>";

    /// <summary>The first id of the generated exclusion rules; ModSecurity's recommended rules use 200000-200004.</summary>
    public const int FirstExclusionId = 200100;

    /// <summary>Blocking and detection paranoia levels, and the anomaly thresholds when configured.</summary>
    public static string Settings(SiteWafConfig site)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"SecAction \"id:200010,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level={site.Paranoia},setvar:tx.detection_paranoia_level={site.DetectionParanoia}");
        if (site.InboundThreshold is { } inbound)
        {
            text.Append(CultureInfo.InvariantCulture, $",setvar:tx.inbound_anomaly_score_threshold={inbound}");
        }
        if (site.OutboundThreshold is { } outbound)
        {
            text.Append(CultureInfo.InvariantCulture, $",setvar:tx.outbound_anomaly_score_threshold={outbound}");
        }
        return text.Append("\"\n").ToString();
    }

    /// <summary>Exclusions that apply per request (a path, methods or targets): one phase-1 rule each, in config order.</summary>
    public static string Exclusions(IReadOnlyList<WafExclusion> exclusions)
    {
        var text = new StringBuilder();
        var id = FirstExclusionId;
        foreach (var exclusion in exclusions.Where(e => !(e.Unconditional && e.Targets.Count == 0)))
        {
            var ctl = string.Join(',', Controls(exclusion));
            var head = $"id:{id++},phase:1,pass,nolog,t:none";
            var methods = exclusion.Methods.Count == 0 ? null : $"^(?:{string.Join('|', exclusion.Methods)})$";
            if (exclusion.Path is { } path && methods is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"SecRule REQUEST_FILENAME \"@beginsWith {path}\" \"{head},chain\"\n");
                text.Append(CultureInfo.InvariantCulture, $"    SecRule REQUEST_METHOD \"@rx {methods}\" \"t:none,{ctl}\"\n");
            }
            else if (exclusion.Path is { } onlyPath)
            {
                text.Append(CultureInfo.InvariantCulture, $"SecRule REQUEST_FILENAME \"@beginsWith {onlyPath}\" \"{head},{ctl}\"\n");
            }
            else if (methods is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"SecRule REQUEST_METHOD \"@rx {methods}\" \"{head},{ctl}\"\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"SecAction \"{head},{ctl}\"\n");
            }
        }
        return text.ToString();
    }

    /// <summary>Exclusions of whole rules for every request, applied once when the rules load.</summary>
    public static string Removals(IReadOnlyList<WafExclusion> exclusions)
    {
        var text = new StringBuilder();
        foreach (var exclusion in exclusions.Where(e => e.Unconditional && e.Targets.Count == 0))
        {
            foreach (var rule in exclusion.Rules)
            {
                text.Append(CultureInfo.InvariantCulture, $"SecRuleRemoveById {rule}\n");
            }
            foreach (var tag in exclusion.Tags)
            {
                text.Append(CultureInfo.InvariantCulture, $"SecRuleRemoveByTag \"{tag}\"\n");
            }
        }
        return text.ToString();
    }

    private static IEnumerable<string> Controls(WafExclusion exclusion)
    {
        if (exclusion.Targets.Count == 0)
        {
            foreach (var rule in exclusion.Rules)
            {
                yield return $"ctl:ruleRemoveById={rule}";
            }
            foreach (var tag in exclusion.Tags)
            {
                yield return $"ctl:ruleRemoveByTag={tag}";
            }
            yield break;
        }
        foreach (var target in exclusion.Targets)
        {
            foreach (var rule in exclusion.Rules)
            {
                yield return $"ctl:ruleRemoveTargetById={rule};{target}";
            }
            foreach (var tag in exclusion.Tags)
            {
                yield return $"ctl:ruleRemoveTargetByTag={tag};{target}";
            }
        }
    }
}
