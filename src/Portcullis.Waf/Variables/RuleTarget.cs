using System.Text.RegularExpressions;
using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Variables;

/// <summary>
/// A compiled rule target (<c>ARGS</c>, <c>ARGS:id</c>, <c>REQUEST_COOKIES:/^_ga/</c>, <c>&amp;TX:x</c>) or, with
/// <see cref="Exclude"/>, an exclusion (<c>!ARGS:password</c>) that removes matching keys from every target of the same
/// collection in the rule.
/// </summary>
internal sealed class RuleTarget
{
    public RuleTarget(VariableName variable, string? key, Regex? keyRegex, bool count, bool exclude, string text)
    {
        Variable = variable;
        Key = key;
        KeyRegex = keyRegex;
        Count = count;
        Exclude = exclude;
        Text = text;
    }

    public VariableName Variable { get; }

    /// <summary>A literal key, compared case-insensitively (ModSecurity compares keys without case).</summary>
    public string? Key { get; }

    /// <summary>A <c>/regex/</c> key, matched case-insensitively against each key.</summary>
    public Regex? KeyRegex { get; }

    /// <summary>Literals one of which every key <see cref="KeyRegex"/> matches contains; null when there are none.</summary>
    public RegexPrefilter? KeyPrefilter { get; init; }

    /// <summary>Set when <see cref="KeyRegex"/> is only <c>^literal</c>: the literal, so a key is tested without the regex.</summary>
    public string? KeyPrefix { get; init; }

    public bool Count { get; }

    public bool Exclude { get; }

    /// <summary>As written in the rule, for messages and for matching <c>ctl:ruleRemoveTarget*</c> requests.</summary>
    public string Text { get; }

    public bool SelectsAllKeys => Key is null && KeyRegex is null;

    // The last display name built for this target's key: a named target (TX:detection_paranoia_level) matches the same
    // key on every request, and its name (MATCHED_VAR_NAME) is then not built again. Replaced whole, so a racing
    // thread reads an old or a new pair, never a mix.
    private NameMemo? _name;

    /// <summary><see cref="VariableValue.FullName"/> of an item this target selected under <paramref name="key"/>.</summary>
    public string FullNameOf(string key)
    {
        if (_name is { } memo && string.Equals(memo.Key, key, StringComparison.Ordinal))
        {
            return memo.Name;
        }
        var name = new VariableValue(Variable, key, "").FullName;
        _name = new NameMemo(key, name);
        return name;
    }

    private sealed record NameMemo(string Key, string Name);

    public bool SelectsKey(string key)
    {
        if (KeyRegex is null)
        {
            return Key is null || string.Equals(Key, key, StringComparison.OrdinalIgnoreCase);
        }
        if (KeyPrefix is { } prefix)
        {
            return StartsWithIgnoringAsciiCase(key, prefix);
        }
        if (KeyPrefilter is { } prefilter && !prefilter.MayMatch(key))
        {
            return false;
        }
        try
        {
            return KeyRegex.IsMatch(key);
        }
        catch (RegexMatchTimeoutException)
        {
            // A hostile key name must not turn into an error (or a way around a rule): when in doubt, inspect the
            // value, i.e. a selector selects it and an exclusion does not exclude it.
            return !Exclude;
        }
    }

    /// <summary>As the translated regex compares (<see cref="Operators.PcrePattern"/> folds ASCII letters only; the
    /// prefix is ASCII, so a non-ASCII char of the key never equals it).</summary>
    private static bool StartsWithIgnoringAsciiCase(string key, string prefix) =>
        key.Length >= prefix.Length && System.Text.Ascii.EqualsIgnoreCase(key.AsSpan(0, prefix.Length), prefix);

    public override string ToString() => Text;
}
