namespace Portcullis.Configuration;

/// <summary>The gateway-wide sections a site's settings inherit from or are checked against.</summary>
internal sealed record SiteDefaults(WafConfig Waf, TlsConfig Tls, ListenConfig Listen);
