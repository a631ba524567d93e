namespace Portcullis.Configuration;

/// <summary>
/// One <c>waf.exclusions</c> entry: rules (by id or tag) that do not apply, optionally only to some targets, under a
/// path prefix, for some methods. It compiles to the engine's own mechanisms (<c>ctl:ruleRemoveTargetById</c> and
/// friends, or <c>SecRuleRemoveById</c> when it is unconditional), like a CRS exclusion written by hand.
/// </summary>
internal sealed record WafExclusion
{
    /// <summary>Rule ids or inclusive ranges ("942100", "942100-942199").</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];

    /// <summary>Rule tags (<c>attack-sqli</c>, <c>paranoia-level/2</c>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Variables the rules stop inspecting (<c>ARGS:comment</c>); empty = the whole rule is removed.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Path prefix the exclusion is limited to (compared with the decoded path), or null for every path.</summary>
    public string? Path { get; init; }

    /// <summary>Methods the exclusion is limited to (upper case), empty = every method.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>True when the exclusion holds for every request: it can then be applied once, at load time.</summary>
    public bool Unconditional => Path is null && Methods.Count == 0;
}
