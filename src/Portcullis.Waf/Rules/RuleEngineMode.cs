namespace Portcullis.Waf.Rules;

/// <summary><c>SecRuleEngine</c>: run and enforce, run and only log what would have been done, or do nothing.</summary>
public enum RuleEngineMode
{
    On,
    DetectionOnly,
    Off,
}
