using Portcullis.Waf.SecLang;

namespace Portcullis.Waf.Tests.SecLang;

/// <summary>
/// Reads OWASP CRS v4.28 from ../shared/crs (never copied into the repository) and checks the directive counts
/// against an independent count of the files' non-comment lines (../shared/notes/waf.md §1).
/// </summary>
public sealed class CrsDirectiveReadingTests
{
    private static string CrsDirectory => CrsDirectoryLocator.Find();

    [Fact]
    public void ReadFile_AllCrsRuleFiles_DirectiveCountsMatch()
    {
        var directives = Directory.GetFiles(Path.Combine(CrsDirectory, "rules"), "*.conf")
            .Order(StringComparer.Ordinal)
            .SelectMany(DirectiveReader.ReadFile)
            .ToList();
        var counts = directives.GroupBy(d => d.Name).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(695, counts["SecRule"]);
        Assert.Equal(7, counts["SecAction"]);
        Assert.Equal(30, counts["SecMarker"]);
        Assert.Equal(55, counts["SecRuleUpdateTargetById"]);
        Assert.Equal(1, counts["SecComponentSignature"]);
        Assert.Equal(695 + 7 + 30 + 55 + 1, directives.Count);
        // Every SecRule has variables, operator and actions, except chain links that need none (two in CRS 4.28);
        // every SecAction one action list.
        Assert.All(directives.Where(d => d.Name == "SecRule"), d => Assert.InRange(d.Arguments.Count, 2, 3));
        Assert.Equal(2, directives.Count(d => d.Name == "SecRule" && d.Arguments.Count == 2));
        Assert.All(directives.Where(d => d.Name == "SecAction"), d => Assert.Single(d.Arguments));
    }

    [Fact]
    public void ReadFile_CrsSetupExample_DefaultActionsAndTheOneActiveSecAction()
    {
        var directives = DirectiveReader.ReadFile(Path.Combine(CrsDirectory, "crs-setup.conf.example"));

        Assert.Equal(5, directives.Count(d => d.Name == "SecDefaultAction"));
        var action = Assert.Single(directives, d => d.Name == "SecAction");
        Assert.Contains("id:900990", action.Arguments[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_KnownRule_ArgumentsExact()
    {
        var rule = DirectiveReader.ReadFile(Path.Combine(CrsDirectory, "rules", "REQUEST-942-APPLICATION-ATTACK-SQLI.conf"))
            .First(d => d.Name == "SecRule" && d.Arguments[2].Contains("id:942100,", StringComparison.Ordinal));

        Assert.Equal("@detectSQLi", rule.Arguments[1]);
        Assert.StartsWith("REQUEST_COOKIES|", rule.Arguments[0], StringComparison.Ordinal);
        Assert.Contains("msg:'SQL Injection Attack Detected via libinjection'", rule.Arguments[2], StringComparison.Ordinal);
    }

    [Fact]
    public void RuleSyntax_AllCrsRules_UseExactlyTheVocabularyOfNotesWafMd()
    {
        var files = Directory.GetFiles(Path.Combine(CrsDirectory, "rules"), "*.conf").Append(Path.Combine(CrsDirectory, "crs-setup.conf.example"));
        var directives = files.SelectMany(DirectiveReader.ReadFile).ToList();
        var operators = new HashSet<string>(StringComparer.Ordinal);
        var actions = new HashSet<string>(StringComparer.Ordinal);
        var transformations = new HashSet<string>(StringComparer.Ordinal);
        var collections = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in directives)
        {
            var actionText = d.Name switch
            {
                "SecRule" => d.Arguments.Count == 3 ? d.Arguments[2] : null,
                "SecAction" or "SecDefaultAction" => d.Arguments[0],
                _ => null,
            };
            if (d.Name == "SecRule")
            {
                operators.Add(RuleSyntax.ParseOperator(d.Arguments[1]).Name);
                collections.UnionWith(RuleSyntax.ParseVariables(d.Arguments[0], d).Select(v => v.Collection));
            }
            foreach (var action in actionText is null ? [] : RuleSyntax.ParseActions(actionText, d))
            {
                actions.Add(action.Name);
                if (action.Name == "t")
                {
                    transformations.Add(action.Value!);
                }
            }
        }

        Assert.Equal(
            ["beginsWith", "contains", "detectSQLi", "detectXSS", "endsWith", "eq", "ge", "gt", "ipMatch", "lt", "pm", "pmFromFile", "rx",
             "streq", "unconditionalMatch", "validateByteRange", "validateUrlEncoding", "validateUtf8Encoding", "within"],
            operators.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["base64Decode", "cmdLine", "compressWhitespace", "cssDecode", "escapeSeqDecode", "hexEncode", "htmlEntityDecode", "jsDecode",
             "length", "lowercase", "none", "normalizePath", "normalizePathWin", "removeCommentsChar", "removeNulls", "removeWhitespace",
             "replaceComments", "sha1", "urlDecodeUni", "utf8toUnicode"],
            transformations.Order(StringComparer.Ordinal));
        Assert.Equal(
            ["auditlog", "block", "capture", "chain", "ctl", "deny", "id", "initcol", "log", "logdata", "msg", "multimatch", "noauditlog",
             "nolog", "pass", "phase", "setvar", "severity", "skipafter", "status", "t", "tag", "ver"],
            actions.Order(StringComparer.Ordinal));
        Assert.Contains("MULTIPART_PART_HEADERS", collections);
        Assert.Contains("XML", collections);
    }
}
