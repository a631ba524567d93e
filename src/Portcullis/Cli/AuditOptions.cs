namespace Portcullis.Cli;

/// <summary>The parsed command line of <c>portcullis audit</c>.</summary>
internal sealed record AuditOptions(
    string? Target,
    string? Sni = null,
    string? Ip = null,
    string? Ca = null,
    int HttpPort = 80,
    bool Json = false,
    string? FailUnder = null,
    bool Self = false,
    string ConfigPath = ConfigOption.DefaultPath,
    double TimeoutSeconds = 5);
