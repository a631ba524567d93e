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

    // Per rule ordinal: 0 not yet known, 1 no match, 2 match. A rule's tags never change, and a ctl:ruleRemove*ByTag
    // selector is asked about every rule of every transaction that ran it (CRS 941010 runs on nearly every request).
    private byte[] _memo = [];

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

    /// <summary><see cref="MatchesAny"/> over the rule's tags, remembered per rule (selectors belong to one rule set).</summary>
    public bool Matches(Rule rule)
    {
        var ordinal = rule.Ordinal;
        if (ordinal < 0)
        {
            return MatchesAny(rule.Tags);
        }
        var memo = Volatile.Read(ref _memo);
        if (ordinal < memo.Length && memo[ordinal] != 0)
        {
            return memo[ordinal] == 2;
        }
        var matches = MatchesAny(rule.Tags);
        if (ordinal >= memo.Length)
        {
            // Racing threads may each grow a copy and lose the other's entries: they are only recomputed.
            var grown = new byte[Math.Max(ordinal + 1, memo.Length * 2)];
            memo.CopyTo(grown, 0);
            memo = grown;
            Volatile.Write(ref _memo, memo);
        }
        memo[ordinal] = matches ? (byte)2 : (byte)1;
        return matches;
    }

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
