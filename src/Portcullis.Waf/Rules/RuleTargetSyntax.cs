using Portcullis.Waf.SecLang;

namespace Portcullis.Waf.Rules;

/// <summary>Checks a rule target written outside SecLang (an exclusion's <c>ARGS:comment</c>) with the engine's own parser.</summary>
public static class RuleTargetSyntax
{
    /// <summary>Null when <paramref name="target"/> is one valid variable selector, otherwise why it is not.</summary>
    public static string? Validate(string target)
    {
        if (target.Length == 0 || target.Any(c => c is ',' or '"' or '\'' or '|' || char.IsWhiteSpace(c)))
        {
            return "a target is one variable like ARGS:comment, REQUEST_COOKIES:session or REQUEST_HEADERS:User-Agent (no spaces, commas, quotes or '|')";
        }
        if (target[0] is '!' or '&')
        {
            return "write the target itself (ARGS:comment); an exclusion already means 'not this target'";
        }
        try
        {
            var specs = RuleSyntax.ParseVariables(target, new Directive("exclusion", [target], "<config>", 0));
            foreach (var spec in specs)
            {
                TargetCompiler.Compile(spec);
            }
            return specs.Count == 1 ? null : "give one target per list item";
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }
}
