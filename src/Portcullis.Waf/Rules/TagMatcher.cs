using System.Text.RegularExpressions;
using Portcullis.Waf.Operators;

namespace Portcullis.Waf.Rules;

/// <summary>
/// A tag (or message) selector of SecRuleRemoveByTag / ctl:ruleRemove*ByTag: a regular expression in ModSecurity,
/// matched unanchored. Nearly every one written is a plain word ("attack-sqli", "xss-perf-disable"), and these are
/// checked against every rule of a transaction, so a pattern without regex syntax is a substring test, not a regex.
/// </summary>
internal sealed class TagMatcher
{
    private readonly string? _literal;
    private readonly Regex? _regex;

    private TagMatcher(string? literal, Regex? regex)
    {
        _literal = literal;
        _regex = regex;
    }

    public static TagMatcher Parse(string pattern) =>
        pattern.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/' or ' ' or ':' or ',' or '=' or '@' or '%' or '\'')
            ? new TagMatcher(pattern, null)
            : new TagMatcher(null, PcrePattern.Compile(pattern, TimeSpan.FromMilliseconds(100)));

    public bool IsMatch(string text) => _literal is not null ? text.Contains(_literal, StringComparison.Ordinal) : _regex!.IsMatch(text);

    public bool MatchesAny(string[] tags)
    {
        foreach (var tag in tags)
        {
            if (IsMatch(tag))
            {
                return true;
            }
        }
        return false;
    }
}
