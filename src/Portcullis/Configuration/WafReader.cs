using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>Reads the gateway-wide <c>waf:</c> section and each site's <c>waf:</c> overrides.</summary>
internal static class WafReader
{
    public static WafConfig Read(YamlMap? map, string baseDir)
    {
        var d = new WafConfig();
        if (map is null)
        {
            return d;
        }
        var errors = map.Errors;
        string? crs = null;
        if (map.String("crs") is { Length: > 0 } crsText && map.Get("crs") is { } crsNode)
        {
            crs = Path.GetFullPath(crsText, baseDir);
            if (!Directory.Exists(Path.Combine(crs, "rules")))
            {
                errors.Add(crsNode, $"waf.crs: '{crs}' is not a Core Rule Set folder (no rules/ inside); give the folder that holds crs-setup.conf(.example) and rules/.");
                crs = null;
            }
            else if (!File.Exists(Path.Combine(crs, "crs-setup.conf")) && !File.Exists(Path.Combine(crs, "crs-setup.conf.example")))
            {
                errors.Add(crsNode, $"waf.crs: '{crs}' has no crs-setup.conf or crs-setup.conf.example; copy the example from the CRS release.");
                crs = null;
            }
        }
        var files = RuleFiles(map, "waf", baseDir);
        var mimeTypes = map.Sequence("response_mime_types") is { } types
            ? types.Select(t => YamlValues.String(t, "waf.response_mime_types[]", errors)).OfType<string>().Select(t => t.Trim().ToLowerInvariant()).ToList()
            : d.ResponseMimeTypes;
        var paranoia = map.Int("paranoia", 1, 4) ?? d.Paranoia;
        var thresholds = Thresholds(map, "waf");
        var incidents = map.Map("incidents");
        var incidentMaxAge = incidents?.Duration("max_age", TimeSpan.FromHours(1), TimeSpan.FromDays(3650)) ?? d.IncidentMaxAge;
        var incidentMaxSize = incidents?.Size("max_size", 1024 * 1024, 1L << 40) ?? d.IncidentMaxSize;
        incidents?.RejectUnknownKeys();
        var config = new WafConfig
        {
            CrsPath = crs,
            RuleFiles = files,
            Mode = Mode(map, "waf") ?? d.Mode,
            Paranoia = paranoia,
            DetectionParanoia = DetectionParanoia(map, "waf", paranoia),
            InboundThreshold = thresholds.Inbound,
            OutboundThreshold = thresholds.Outbound,
            Exclusions = WafExclusionReader.Read(map, "waf"),
            IncidentMaxAge = incidentMaxAge,
            IncidentMaxSize = incidentMaxSize,
            RequestBodyLimit = map.Size("request_body_limit", 1024, 1L << 31) ?? d.RequestBodyLimit,
            RequestBodyLimitPartial = LimitAction(map) ?? d.RequestBodyLimitPartial,
            ResponseBodyLimit = map.Size("response_body_limit", 1024, 1L << 31) ?? d.ResponseBodyLimit,
            ResponseMimeTypes = mimeTypes,
        };
        map.RejectUnknownKeys();
        return config;
    }

    /// <summary>A site's <c>waf:</c> (mode, paranoia levels, thresholds, rules, exclusions) over the gateway-wide defaults.</summary>
    public static SiteWafConfig ReadSite(YamlMap? map, string what, WafConfig defaults, string baseDir)
    {
        var inherited = new SiteWafConfig
        {
            Mode = defaults.Mode,
            Paranoia = defaults.Paranoia,
            DetectionParanoia = Math.Max(defaults.Paranoia, defaults.DetectionParanoia ?? defaults.Paranoia),
            InboundThreshold = defaults.InboundThreshold,
            OutboundThreshold = defaults.OutboundThreshold,
            Exclusions = defaults.Exclusions,
        };
        if (map is null)
        {
            return inherited;
        }
        var paranoia = map.Int("paranoia", 1, 4) ?? inherited.Paranoia;
        var thresholds = Thresholds(map, $"{what}.waf");
        var config = new SiteWafConfig
        {
            Mode = Mode(map, $"{what}.waf") ?? defaults.Mode,
            Paranoia = paranoia,
            DetectionParanoia = DetectionParanoia(map, $"{what}.waf", paranoia) ?? Math.Max(paranoia, inherited.DetectionParanoia),
            InboundThreshold = thresholds.Inbound ?? inherited.InboundThreshold,
            OutboundThreshold = thresholds.Outbound ?? inherited.OutboundThreshold,
            RuleFiles = RuleFiles(map, $"{what}.waf", baseDir),
            Exclusions = [.. defaults.Exclusions, .. WafExclusionReader.Read(map, $"{what}.waf")],
        };
        map.RejectUnknownKeys();
        return config;
    }

    private static List<string> RuleFiles(YamlMap map, string what, string baseDir)
    {
        var files = new List<string>();
        foreach (var item in map.Sequence("rules") ?? [])
        {
            if (YamlValues.String(item, $"{what}.rules[]", map.Errors) is not { Length: > 0 } file)
            {
                continue;
            }
            var full = Path.GetFullPath(file, baseDir);
            if (!File.Exists(full))
            {
                map.Errors.Add(item, $"{what}.rules: file '{full}' does not exist; give the path of a SecLang rule file.");
                continue;
            }
            files.Add(full);
        }
        return files;
    }

    private static int? DetectionParanoia(YamlMap map, string what, int paranoia)
    {
        var level = map.Int("detection_paranoia", 1, 4);
        if (level < paranoia && map.Get("detection_paranoia") is { } node)
        {
            map.Errors.Add(node, $"{what}.detection_paranoia: {level} is below the blocking paranoia level {paranoia}; rules that block must also run, so use {paranoia} or more.");
            return paranoia;
        }
        return level;
    }

    /// <summary><c>anomaly_threshold: { inbound: 5, outbound: 4 }</c>, or one number for the inbound threshold.</summary>
    private static (int? Inbound, int? Outbound) Thresholds(YamlMap map, string what)
    {
        if (map.Get("anomaly_threshold") is not { } node)
        {
            return (null, null);
        }
        if (node is YamlScalarNode)
        {
            return (map.Int("anomaly_threshold", 1, 10000), null);
        }
        if (YamlValues.Map(node, $"{what}.anomaly_threshold", map.Errors) is not { } thresholds)
        {
            return (null, null);
        }
        var result = (thresholds.Int("inbound", 1, 10000), thresholds.Int("outbound", 1, 10000));
        thresholds.RejectUnknownKeys();
        return result;
    }

    private static bool? LimitAction(YamlMap map)
    {
        if (map.Get("request_body_limit_action") is not YamlNode node)
        {
            return null;
        }
        switch (map.String("request_body_limit_action"))
        {
            case "reject":
                return false;
            case "partial":
                return true;
            case var other:
                map.Errors.Add(node, $"waf.request_body_limit_action: '{other}' is not an action; use reject (413 above the limit) or partial (inspect up to the limit, stream the rest).");
                return null;
        }
    }

    private static WafMode? Mode(YamlMap map, string what)
    {
        if (map.Get("mode") is not YamlNode node)
        {
            return null;
        }
        // YAML 1.1 reads a bare `off` as a boolean; accept it as the mode users mean.
        var text = map.String("mode");
        switch (text?.ToLowerInvariant())
        {
            case "off" or "false":
                return WafMode.Off;
            case "detect":
                return WafMode.Detect;
            case "block":
                return WafMode.Block;
            default:
                map.Errors.Add(node, $"{what}.mode: '{text}' is not a mode; use off, detect or block.");
                return null;
        }
    }
}
