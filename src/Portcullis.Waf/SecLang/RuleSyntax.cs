using System.Text;

namespace Portcullis.Waf.SecLang;

/// <summary>
/// Parses the three arguments of <c>SecRule</c> (and the action list of <c>SecAction</c> and friends) into their
/// parts. Syntax only: whether a variable, operator or action exists is decided by the registries that build rules.
/// </summary>
public static class RuleSyntax
{
    /// <summary>"ARGS|!ARGS:x|&amp;TX:y|XML:/*|REQUEST_COOKIES:/^(?:a|b)$/" — '|' inside a /regex/ key does not split.</summary>
    public static IReadOnlyList<VariableSpec> ParseVariables(string text, Directive at)
    {
        var result = new List<VariableSpec>();
        var i = 0;
        while (i <= text.Length)
        {
            var exclude = false;
            var count = false;
            while (i < text.Length && text[i] is '!' or '&')
            {
                exclude |= text[i] == '!';
                count |= text[i] == '&';
                i++;
            }
            var nameStart = i;
            while (i < text.Length && text[i] is not (':' or '|'))
            {
                i++;
            }
            var name = text[nameStart..i].Trim().ToUpperInvariant();
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw Error(at, $"malformed variable list near position {nameStart}", text);
            }
            string? key = null;
            var regex = false;
            if (i < text.Length && text[i] == ':')
            {
                i++;
                // XML keys are XPath expressions ("/*", "//@*"), never regular expressions.
                if (i < text.Length && text[i] == '/' && name != "XML")
                {
                    var end = FindRegexEnd(text, i + 1);
                    if (end < 0)
                    {
                        throw Error(at, "unterminated /regex/ key in variable list", text);
                    }
                    key = text[(i + 1)..end];
                    regex = true;
                    i = end + 1;
                }
                else
                {
                    var keyStart = i;
                    while (i < text.Length && text[i] != '|')
                    {
                        i++;
                    }
                    key = text[keyStart..i].Trim().Trim('\'');
                }
            }
            result.Add(new VariableSpec(name, key, regex, exclude, count));
            if (i >= text.Length)
            {
                break;
            }
            if (text[i] != '|')
            {
                throw Error(at, $"expected '|' at position {i} of the variable list", text);
            }
            i++;
        }
        return result;
    }

    private static int FindRegexEnd(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }
            if (text[i] == '/' && (i + 1 == text.Length || text[i + 1] == '|'))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>"@rx a b" → (rx, "a b"); "!@eq 0" → negated; "abc" → (rx, "abc"), as ModSecurity does.</summary>
    public static OperatorSpec ParseOperator(string text)
    {
        var negated = text.StartsWith('!');
        var rest = negated ? text[1..] : text;
        if (!rest.StartsWith('@'))
        {
            return new OperatorSpec("rx", rest, negated);
        }
        var space = rest.IndexOfAny([' ', '\t']);
        return space < 0
            ? new OperatorSpec(rest[1..], "", negated)
            : new OperatorSpec(rest[1..space], rest[(space + 1)..].TrimStart(), negated);
    }

    /// <summary>"id:1,phase:2,msg:'a, b',t:none,block" — commas inside single quotes do not split; quotes are removed.</summary>
    public static IReadOnlyList<ActionSpec> ParseActions(string text, Directive at)
    {
        var result = new List<ActionSpec>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] == ','))
            {
                i++;
            }
            if (i >= text.Length)
            {
                break;
            }
            var nameStart = i;
            while (i < text.Length && text[i] is not (':' or ','))
            {
                i++;
            }
            var name = text[nameStart..i].Trim();
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw Error(at, $"malformed action name '{name}'", text);
            }
            string? value = null;
            if (i < text.Length && text[i] == ':')
            {
                i++;
                while (i < text.Length && text[i] == ' ')
                {
                    i++;
                }
                var builder = new StringBuilder();
                if (i < text.Length && text[i] == '\'')
                {
                    i++;
                    var closed = false;
                    while (i < text.Length)
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\'')
                        {
                            builder.Append('\'');
                            i += 2;
                            continue;
                        }
                        if (text[i] == '\'')
                        {
                            closed = true;
                            i++;
                            break;
                        }
                        builder.Append(text[i++]);
                    }
                    if (!closed)
                    {
                        throw Error(at, $"unterminated ' quote in the value of action '{name}'", text);
                    }
                }
                else
                {
                    while (i < text.Length && text[i] != ',')
                    {
                        builder.Append(text[i++]);
                    }
                }
                value = builder.ToString().TrimEnd();
            }
            result.Add(new ActionSpec(name.ToLowerInvariant(), value));
        }
        return result;
    }

    private static SecLangSyntaxException Error(Directive at, string message, string text) =>
        new(at.File, at.Line, message, text.Length <= 120 ? text : text[..120] + "…");
}
