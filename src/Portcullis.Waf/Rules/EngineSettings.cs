namespace Portcullis.Waf.Rules;

/// <summary>
/// The engine-wide directives (SecRuleEngine, SecRequestBodyAccess, ...) as the rule files left them. Defaults are
/// ModSecurity's recommended configuration (modsecurity.conf-recommended), not its compiled-in ones.
/// </summary>
public sealed record EngineSettings
{
    public RuleEngineMode RuleEngine { get; init; } = RuleEngineMode.On;

    public bool RequestBodyAccess { get; init; } = true;

    public bool ResponseBodyAccess { get; init; }

    /// <summary>SecResponseBodyMimeType; ModSecurity's default list.</summary>
    public IReadOnlyList<string> ResponseBodyMimeTypes { get; init; } = ["text/plain", "text/html"];

    /// <summary>SecRequestBodyLimit: 13 MB as modsecurity.conf-recommended.</summary>
    public long RequestBodyLimit { get; init; } = 13_107_200;

    /// <summary>SecRequestBodyNoFilesLimit: 128 KB as modsecurity.conf-recommended.</summary>
    public long RequestBodyNoFilesLimit { get; init; } = 131_072;

    /// <summary>SecRequestBodyLimitAction: Reject (413) or ProcessPartial (inspect what fits).</summary>
    public bool RequestBodyLimitProcessPartial { get; init; }

    /// <summary>SecResponseBodyLimit: 512 KB as modsecurity.conf-recommended.</summary>
    public long ResponseBodyLimit { get; init; } = 524_288;

    public bool ResponseBodyLimitProcessPartial { get; init; } = true;

    /// <summary>SecArgumentsLimit: arguments beyond it are not added (and REQBODY_ERROR is set).</summary>
    public int ArgumentsLimit { get; init; } = 1000;

    /// <summary>SecRequestBodyJsonDepthLimit.</summary>
    public int JsonDepthLimit { get; init; } = 512;

    /// <summary>SecPcreMatchLimit's role: a time bound on every regex match.</summary>
    public TimeSpan RegexMatchTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    public IReadOnlyList<string> ComponentSignatures { get; init; } = [];
}
