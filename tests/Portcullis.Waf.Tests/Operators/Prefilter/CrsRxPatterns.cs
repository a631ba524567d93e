using Portcullis.Waf.SecLang;

namespace Portcullis.Waf.Tests.Operators.Prefilter;

/// <summary>Every <c>@rx</c> operator of CRS (../shared/crs/rules), with the id of the rule (or chain head) that holds it.</summary>
internal static class CrsRxPatterns
{
    public static IReadOnlyList<(string RuleId, string Pattern)> Load()
    {
        var result = new List<(string, string)>();
        var files = Directory.GetFiles(Path.Combine(CrsDirectoryLocator.Find(), "rules"), "*.conf").Order(StringComparer.Ordinal);
        foreach (var directive in files.SelectMany(DirectiveReader.ReadFile))
        {
            if (directive.Name != "SecRule")
            {
                continue;
            }
            var op = RuleSyntax.ParseOperator(directive.Arguments[1]);
            if (op.Name != "rx")
            {
                continue;
            }
            var id = directive.Arguments.Count == 3
                ? RuleSyntax.ParseActions(directive.Arguments[2], directive).FirstOrDefault(a => a.Name == "id")?.Value
                : null;
            result.Add((id ?? $"{Path.GetFileName(directive.File)}:{directive.Line}", op.Parameter));
        }
        return result;
    }
}
