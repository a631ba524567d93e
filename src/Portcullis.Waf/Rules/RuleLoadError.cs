namespace Portcullis.Waf.Rules;

/// <summary>One reason a rule file did not load: where, the directive as written, and what is wrong.</summary>
public sealed record RuleLoadError(string File, int Line, string Directive, string Reason)
{
    public override string ToString() => $"{File}:{Line}: {Reason}\n    {Directive}";
}
