namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// Characters every match of a pattern must hold, as clauses that all have to be met: "one of <c>\n \r ; ` { | &amp;</c>"
/// for CRS's command-chaining patterns, "a <c>&lt;</c>" for its tag patterns, "a <c>{</c>, a <c>:</c> and a <c>"</c>"
/// for PHP's serialised objects. Where a pattern has no literal worth searching for (its words have evasion gaps, or
/// its only fixed text is punctuation), this still takes it off the benign values that hold none of those
/// characters, with a few bit operations on the value's <see cref="CharMask"/>.
/// <para>Built from the same parse as the literal analysis (<see cref="PatternParser"/>) and just as conservative:
/// zero-width items and optional parts require nothing, an alternation requires what every branch does (clause by
/// clause, the union of one clause from each), and a clause that holds a letter or a digit is dropped, since almost
/// every value meets it. Values holding a character above 0x7F are never rejected.</para>
/// </summary>
internal sealed class CharRequirement
{
    /// <summary>Clauses kept per node: the most selective ones (fewest, rarest characters).</summary>
    private const int MaxClauses = 4;

    private static readonly CharMask AlphaNumeric = CharMask.Of("0123456789abcdefghijklmnopqrstuvwxyz");

    private static readonly List<CharMask> Nothing = [];

    private readonly CharMask[] _clauses;

    private CharRequirement(CharMask[] clauses) => _clauses = clauses;

    /// <summary>The clauses, each "the value holds one of these characters".</summary>
    public IReadOnlyList<CharMask> Clauses => _clauses;

    /// <summary>The requirement of a PCRE pattern, or null when it has none worth testing (or the parser refuses it).</summary>
    public static CharRequirement? For(string pcrePattern) =>
        PatternParser.TryParse(pcrePattern) is { } node && Analyze(node) is { Count: > 0 } clauses ? new CharRequirement([.. clauses]) : null;

    /// <summary>One clause: the value holds one of <paramref name="chars"/> (ASCII punctuation; a detector's own triggers).</summary>
    public static CharRequirement AnyOf(string chars) => new([CharMask.Of(chars)]);

    /// <summary>One clause: the value holds one of <paramref name="chars"/>.</summary>
    public static CharRequirement AnyOf(CharMask chars) => new([chars]);

    /// <summary>The value holds a character above 0x7F (one empty clause, which only <see cref="CharMask.HasOther"/> meets).</summary>
    public static CharRequirement NonAscii { get; } = new([default]);

    /// <summary>False when no match can be found in a value with these characters.</summary>
    public bool MayMatch(CharMask value)
    {
        if (value.HasOther)
        {
            return true;
        }
        foreach (var clause in _clauses)
        {
            if (!value.Meets(clause))
            {
                return false;
            }
        }
        return true;
    }

    private static List<CharMask> Analyze(PatternNode node) => node switch
    {
        ByteNode b => Clause(b.Bytes),
        EmptyNode => Nothing,
        SequenceNode s => Best(s.Items.SelectMany(Analyze)),
        AlternationNode a => Alternate(a.Branches),
        RepeatNode r => r.Min > 0 && r.Max != 0 ? Analyze(r.Item) : Nothing,
        _ => throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node)),
    };

    private static List<CharMask> Clause(ByteClass bytes)
    {
        ulong low = 0, high = 0;
        for (var c = (char)0; c < 128; c++)
        {
            if (bytes.Contains(c))
            {
                if (c < 64)
                {
                    low |= 1UL << c;
                }
                else
                {
                    high |= 1UL << (c - 64);
                }
            }
        }
        var clause = CharMask.Folded(low, high, other: false);
        return clause.Meets(AlphaNumeric) ? Nothing : [clause];
    }

    /// <summary>A match of some branch meets that branch's clauses; so it meets, for any choice of one clause per branch,
    /// the union of the chosen ones. Every such union is a clause of the alternation.</summary>
    private static List<CharMask> Alternate(IReadOnlyList<PatternNode> branches)
    {
        List<CharMask>? result = null;
        foreach (var branch in branches)
        {
            var clauses = Analyze(branch);
            if (clauses.Count == 0)
            {
                return Nothing;
            }
            if (result is null)
            {
                result = clauses;
                continue;
            }
            result = Best(result.SelectMany(a => clauses.Select(b => a.Or(b))));
            if (result.Count == 0)
            {
                return Nothing;
            }
        }
        return result ?? Nothing;
    }

    /// <summary>The clauses still worth testing, without those another implies, most selective first, at most
    /// <see cref="MaxClauses"/>.</summary>
    private static List<CharMask> Best(IEnumerable<CharMask> clauses)
    {
        var kept = clauses.Where(c => !c.Meets(AlphaNumeric)).Distinct().OrderBy(Cost).ToList();
        var result = new List<CharMask>();
        foreach (var clause in kept)
        {
            // A clause that contains another is met whenever that one is: it adds nothing.
            if (!result.Any(r => r.IsSubsetOf(clause)))
            {
                result.Add(clause);
                if (result.Count == MaxClauses)
                {
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>How often benign values meet a clause, roughly: characters rare in them count 1, other punctuation 8.</summary>
    private static int Cost(CharMask clause)
    {
        var cost = 0;
        for (var c = (char)0; c < 128; c++)
        {
            if (clause.Contains(c))
            {
                cost += PrefilterLimits.IsRare(c) ? 1 : 8;
            }
        }
        return cost;
    }
}
