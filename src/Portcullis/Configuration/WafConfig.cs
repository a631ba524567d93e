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

    public int Paranoia { get; init; } = 1;
}
