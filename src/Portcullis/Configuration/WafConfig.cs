namespace Portcullis.Configuration;

/// <summary>What the firewall does with a site's requests: nothing, log what it would block, or block.</summary>
internal enum WafMode
{
    Off,
    Detect,
    Block,
}

/// <summary>
/// The gateway-wide <c>waf:</c> section: where the rules come from and the defaults each site may override.
/// Defaults follow ModSecurity's recommended configuration and CRS's own defaults, noted per setting.
/// </summary>
internal sealed record WafConfig
{
    /// <summary>CRS folder (crs-setup.conf or crs-setup.conf.example + rules/*.conf), absolute; null = no CRS.</summary>
    public string? CrsPath { get; init; }

    /// <summary>Extra SecLang files, absolute, loaded after the CRS setup and before the CRS rules.</summary>
    public IReadOnlyList<string> RuleFiles { get; init; } = [];

    /// <summary>Blocking by default: a WAF that only logs protects nobody unless someone chose that.</summary>
    public WafMode Mode { get; init; } = WafMode.Block;

    /// <summary>CRS paranoia level 1-4; 1 is CRS's default (few false positives).</summary>
    public int Paranoia { get; init; } = 1;

    /// <summary>
    /// Rules up to this paranoia level run and log, but only those up to <see cref="Paranoia"/> count towards blocking
    /// (CRS's tx.detection_paranoia_level); null = the same as <see cref="Paranoia"/>.
    /// </summary>
    public int? DetectionParanoia { get; init; }

    /// <summary>Anomaly score at which a request is blocked (CRS default 5: one critical match); null = the rule set's default.</summary>
    public int? InboundThreshold { get; init; }

    /// <summary>Anomaly score at which a response is blocked (CRS default 4); null = the rule set's default.</summary>
    public int? OutboundThreshold { get; init; }

    /// <summary>Incidents (blocked requests) older than this are deleted from data_dir/incidents.db.</summary>
    public TimeSpan IncidentMaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The incident store is pruned, oldest first, to stay under this size.</summary>
    public long IncidentMaxSize { get; init; } = 256L * 1024 * 1024;

    /// <summary>Exclusions for every site (each site's own come after these).</summary>
    public IReadOnlyList<WafExclusion> Exclusions { get; init; } = [];

    /// <summary>Request bodies are buffered and inspected up to this size; larger ones get 413 (ModSecurity's SecRequestBodyLimit default is 13 MB).</summary>
    public long RequestBodyLimit { get; init; } = 13L * 1024 * 1024;

    /// <summary>
    /// What a body over <see cref="RequestBodyLimit"/> gets: refused with 413 (ModSecurity's default, so nothing can
    /// hide past the limit), or inspected up to the limit with the rest streamed through uninspected.
    /// </summary>
    public bool RequestBodyLimitPartial { get; init; }

    /// <summary>Response bodies of <see cref="ResponseMimeTypes"/> are inspected up to this size; the rest passes uninspected (SecResponseBodyLimit: 512 KB).</summary>
    public long ResponseBodyLimit { get; init; } = 512 * 1024;

    /// <summary>Which responses have their body inspected (CRS's data-leakage rules read them); empty = none.</summary>
    public IReadOnlyList<string> ResponseMimeTypes { get; init; } = ["text/plain", "text/html", "text/xml", "application/json"];
}

/// <summary>A site's <c>waf:</c> settings, resolved over the gateway-wide ones.</summary>
internal sealed record SiteWafConfig
{
    public WafMode Mode { get; init; } = WafMode.Block;

    /// <summary>Blocking paranoia level.</summary>
    public int Paranoia { get; init; } = 1;

    /// <summary>Detection paranoia level: never below <see cref="Paranoia"/> (rules that block must run), which is also its default.</summary>
    public int DetectionParanoia
    {
        get => Math.Max(_detectionParanoia ?? Paranoia, Paranoia);
        init => _detectionParanoia = value;
    }

    private readonly int? _detectionParanoia;

    public int? InboundThreshold { get; init; }

    public int? OutboundThreshold { get; init; }

    /// <summary>The site's own SecLang files, absolute, loaded after the gateway-wide <c>waf.rules</c>.</summary>
    public IReadOnlyList<string> RuleFiles { get; init; } = [];

    /// <summary>The gateway-wide exclusions followed by the site's own.</summary>
    public IReadOnlyList<WafExclusion> Exclusions { get; init; } = [];

    /// <summary>
    /// Everything that changes the rule set a site runs, as one string: sites with equal keys share a loaded rule set
    /// (the <c>mode</c> is applied per request and is not part of it).
    /// </summary>
    public string RuleSetKey => string.Join('|',
        Paranoia, DetectionParanoia, InboundThreshold, OutboundThreshold, string.Join(';', RuleFiles),
        string.Join(';', Exclusions.Select(e => $"{string.Join(',', e.Rules)}/{string.Join(',', e.Tags)}/{string.Join(',', e.Targets)}/{e.Path}/{string.Join(',', e.Methods)}")));
}
