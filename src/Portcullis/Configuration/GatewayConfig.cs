using System.Net;

namespace Portcullis.Configuration;

/// <summary>The whole validated configuration; immutable. Built by <see cref="ConfigLoader"/>.</summary>
internal sealed record GatewayConfig
{
    /// <summary>Full path of the file this came from; relative paths inside it are resolved against its folder.</summary>
    public required string SourcePath { get; init; }

    /// <summary>Keys, certificates, logs and state live here (absolute path).</summary>
    public required string DataDir { get; init; }

    public required ListenConfig Listen { get; init; }

    public required TlsConfig Tls { get; init; }

    /// <summary>Peers whose X-Forwarded-* headers are believed. Empty: nobody's.</summary>
    public required IReadOnlyList<IPNetwork> TrustedProxies { get; init; }

    /// <summary>Response headers for every site (each site may override).</summary>
    public required HeadersConfig Headers { get; init; }

    public required LimitsConfig Limits { get; init; }

    /// <summary>Rate limits and caps per client address; unlike <see cref="Limits"/>, a reload applies them.</summary>
    public ClientLimitsConfig ClientLimits { get; init; } = new();

    public required ProxyConfig Proxy { get; init; }

    public required LogConfig Log { get; init; }

    /// <summary>Where the firewall's rules come from and the defaults sites inherit.</summary>
    public WafConfig Waf { get; init; } = new();

    /// <summary>At least one. The first site is the default site unless another says <c>default: true</c>.</summary>
    public required IReadOnlyList<SiteConfig> Sites { get; init; }

    public SiteConfig DefaultSite => Sites.FirstOrDefault(s => s.IsDefault) ?? Sites[0];
}
