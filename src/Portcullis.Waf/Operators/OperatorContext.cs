namespace Portcullis.Waf.Operators;

/// <summary>What an operator may need at load time: where its rule file is (for @pmFromFile's relative paths).</summary>
internal sealed record OperatorContext(string RuleFileDirectory, TimeSpan RegexTimeout);
