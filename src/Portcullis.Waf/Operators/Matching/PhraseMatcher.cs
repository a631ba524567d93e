using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Operators.Matching;

/// <summary>
/// Aho-Corasick automaton behind <c>@pm</c> and <c>@pmFromFile</c>: built once, then matched many times without
/// allocating. Matching is ASCII case-insensitive, as ModSecurity's <c>acmp_create(0)</c> (<c>apr_tolower</c>, C
/// locale: bytes ≥ 0x80 must match exactly). <see cref="TryMatch(ReadOnlySpan{char}, out string)"/> stops at the
/// first position where a phrase ends (v2's <c>acmp_process_quick</c>) and reports the longest phrase ending there,
/// spelled as it was given. (v2 reports the trie path instead when the hit is a suffix of a longer partial phrase;
/// we report the phrase that actually matched.)
/// </summary>
internal sealed class PhraseMatcher
{
    private const int Root = 0;

    // Root transitions are a dense table (most input bytes start at the root); deeper nodes keep their children as
    // sorted (key, target) ranges, which keeps php-errors.data's ~60k nodes small.
    private readonly int[] _rootNext;
    private readonly int[] _childStart;
    private readonly int[] _childCount;
    private readonly char[] _childKeys;
    private readonly int[] _childTargets;
    private readonly int[] _fail;
    private readonly int[] _output;
    private readonly string[] _phrases;

    public PhraseMatcher(IEnumerable<string> phrases)
    {
        var builder = new PhraseTrieBuilder();
        foreach (var phrase in phrases)
        {
            builder.Add(phrase);
        }
        _phrases = [.. builder.Phrases];
        (_rootNext, _childStart, _childCount, _childKeys, _childTargets, _fail, _output) = builder.Build();
    }

    /// <summary>How many distinct phrases (after case folding) the automaton holds.</summary>
    public int Count => _phrases.Length;

    /// <summary>The phrases, as first given (case-folded duplicates dropped).</summary>
    public IReadOnlyList<string> Phrases => _phrases;

    /// <summary>
    /// <c>@pm</c>'s parameter: v2's <c>parse_pm_content</c> (see <see cref="PhraseContent"/>), then split on
    /// whitespace. Quotes do not group words: <c>"a b"</c> around the whole parameter is stripped, and the phrases
    /// are <c>a</c> and <c>b</c>.
    /// </summary>
    public static PhraseMatcher FromParameter(string parameter)
    {
        var content = PhraseContent.Parse(parameter, stripQuotes: true);
        var phrases = content.Split([' ', '\t', '\n', '\v', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (phrases.Length == 0)
        {
            throw new FormatException($"@pm needs at least one phrase, got '{parameter}'.");
        }
        return new PhraseMatcher(phrases);
    }

    public bool TryMatch(string input, out string phrase) => TryMatch(input.AsSpan(), out phrase);

    /// <summary>True when a phrase occurs in <paramref name="input"/>; <paramref name="phrase"/> is then the first
    /// one found (earliest end, longest there), otherwise empty.</summary>
    public bool TryMatch(ReadOnlySpan<char> input, out string phrase)
    {
        var state = Root;
        foreach (var ch in input)
        {
            if (ch > 0xFF)
            {
                state = Root; // Not a byte: no phrase contains it.
                continue;
            }
            var c = CType.ToLower(ch);
            while (true)
            {
                if (state == Root)
                {
                    state = _rootNext[c];
                    break;
                }
                var next = FindChild(state, c);
                if (next >= 0)
                {
                    state = next;
                    break;
                }
                state = _fail[state];
            }
            var hit = _output[state];
            if (hit >= 0)
            {
                phrase = _phrases[hit];
                return true;
            }
        }
        phrase = string.Empty;
        return false;
    }

    private int FindChild(int node, char key)
    {
        var low = _childStart[node];
        var high = low + _childCount[node] - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var k = _childKeys[mid];
            if (k == key)
            {
                return _childTargets[mid];
            }
            if (k < key)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return -1;
    }
}
