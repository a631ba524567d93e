namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// Computes <see cref="LiteralInfo"/> bottom-up over a parsed pattern. Every rule only ever over-approximates the
/// strings a node matches (zero-width items are the empty string, wide classes any byte, case is folded), so each
/// requirement it derives holds for every real match.
/// </summary>
internal sealed class LiteralAnalyzer(PrefilterLimits limits)
{
    // Beyond this many copies a bounded repeat is not expanded into an exact set (a{1,8} → a, aa, …, aaaaaaaa).
    private const int MaxExpandedRepeat = 8;

    // Requiring more than a few leading copies of a repeated item adds nothing useful: (?:ab){10,} needs "abab…".
    private const int MaxRequiredCopies = 4;

    public LiteralInfo Analyze(PatternNode node) => node switch
    {
        ByteNode b => Bytes(b),
        EmptyNode => LiteralInfo.EmptyString,
        SequenceNode s => Sequence(s.Items),
        AlternationNode a => Alternate(a.Branches.Select(Analyze).ToList()),
        RepeatNode r => Repeat(Analyze(r.Item), r.Min, r.Max),
        _ => throw new ArgumentException($"unknown node {node.GetType().Name}", nameof(node)),
    };

    /// <summary>
    /// Joins the items left to right, but each run of exact items first on its own: "union\s+select" must see
    /// "select" as one exact run, not as \s+ followed by "s", "e", … one byte at a time, or the run's own literal would
    /// never be a candidate. Grouping changes nothing about the strings matched, so it is as sound as any order.
    /// </summary>
    private LiteralInfo Sequence(IReadOnlyList<PatternNode> items)
    {
        var result = LiteralInfo.EmptyString;
        LiteralInfo? run = null;
        foreach (var item in items)
        {
            var info = Analyze(item);
            if (info.Exact is not null)
            {
                run = run is null ? info : Concat(run, info);
                if (run.Exact is null)
                {
                    // The run outgrew the literal limit: close it here and start the next run afresh.
                    result = Concat(result, run);
                    run = null;
                }
                continue;
            }
            if (run is not null)
            {
                result = Concat(result, run);
                run = null;
            }
            result = Concat(result, info);
        }
        return run is null ? result : Concat(result, run);
    }

    private LiteralInfo Bytes(ByteNode node)
    {
        var members = node.Bytes.FoldedMembers(limits.MaxClassFanOut);
        // An empty class never matches; "any byte" is a safe over-approximation of that too.
        return members is null || members.Count == 0
            ? LiteralInfo.Unknown
            : LiteralInfo.FromExact([.. members.Select(c => c.ToString())]);
    }

    private LiteralInfo Concat(LiteralInfo a, LiteralInfo b)
    {
        if (a.Exact is { } leftExact && b.Exact is { } rightExact)
        {
            var product = LiteralSets.Product(leftExact, rightExact);
            if (product.Length <= limits.MaxLiterals)
            {
                return LiteralInfo.FromExact(product);
            }
        }
        // A match of AB is a match of A followed by a match of B: it starts like A (or, when A is exact, like A's
        // string followed by B's start), ends like B, and across the seam holds one of A's ends followed by one of B's
        // starts.
        var prefix = a.Exact is { } exactA
            ? LiteralSets.Shorten(LiteralSets.Product(exactA, b.Prefix), limits.MaxLiterals, keepStart: true)
            : a.Prefix;
        var suffix = b.Exact is { } exactB
            ? LiteralSets.Shorten(LiteralSets.Product(a.Suffix, exactB), limits.MaxLiterals, keepStart: false)
            : b.Suffix;
        var seam = LiteralSets.Product(a.Suffix, b.Prefix);
        var required = Best(a.Required, b.Required, Requirement(seam), Requirement(prefix), Requirement(suffix));
        return new LiteralInfo(null, prefix, suffix, required);
    }

    private LiteralInfo Alternate(IReadOnlyList<LiteralInfo> branches)
    {
        if (branches.All(b => b.Exact is not null))
        {
            var union = LiteralSets.Union(branches.Select(b => b.Exact!));
            if (union.Length <= limits.MaxLiterals)
            {
                return LiteralInfo.FromExact(union);
            }
        }
        // A match is a match of one branch, so it meets that branch's requirement: the union of them all holds.
        var prefix = LiteralSets.Shorten(LiteralSets.Union(branches.Select(b => b.Prefix)), limits.MaxLiterals, keepStart: true);
        var suffix = LiteralSets.Shorten(LiteralSets.Union(branches.Select(b => b.Suffix)), limits.MaxLiterals, keepStart: false);
        var required = branches.Any(b => LiteralSets.IsNothing(b.Required))
            ? LiteralSets.Nothing
            : Requirement(LiteralSets.Union(branches.Select(b => b.Required)));
        return new LiteralInfo(null, prefix, suffix, Best(required, Requirement(prefix), Requirement(suffix)));
    }

    private LiteralInfo Repeat(LiteralInfo item, int min, int? max)
    {
        if (max == 0)
        {
            return LiteralInfo.EmptyString;
        }
        if (item.Exact is { } exact && max <= MaxExpandedRepeat && Expand(exact, min, max.Value) is { } expanded)
        {
            return LiteralInfo.FromExact(expanded);
        }
        if (min == 0)
        {
            // X?, X*, X{0,n}: the repeat may match the empty string, so it requires nothing.
            return LiteralInfo.Unknown;
        }
        // X{n,…} starts with n copies of X and ends with n copies; the first few are enough to learn from.
        var copies = item;
        for (var i = 1; i < Math.Min(min, MaxRequiredCopies); i++)
        {
            copies = Concat(copies, item);
        }
        return copies.Exact is { } e
            ? new LiteralInfo(null, e, e, LiteralSets.Reduce(e))
            : copies with { Exact = null };
    }

    /// <summary>All of X{min,max} when X is exact and the result stays small; null when it does not.</summary>
    private string[]? Expand(string[] exact, int min, int max)
    {
        var all = new List<string[]>();
        string[] power = LiteralSets.Nothing;
        for (var k = 0; k <= max; k++)
        {
            if (k > 0)
            {
                power = LiteralSets.Product(power, exact);
                if (power.Length > limits.MaxLiterals)
                {
                    return null;
                }
            }
            if (k >= min)
            {
                all.Add(power);
            }
        }
        var union = LiteralSets.Union(all);
        return union.Length <= limits.MaxLiterals ? union : null;
    }

    /// <summary>A set every match contains one of, turned into a requirement that fits the limits: cut to the
    /// start or the end of each literal, whichever keeps more, then reduced.</summary>
    private string[] Requirement(string[] set)
    {
        if (LiteralSets.IsNothing(set))
        {
            return LiteralSets.Nothing;
        }
        var fromStart = LiteralSets.Reduce(LiteralSets.Shorten(set, limits.MaxLiterals, keepStart: true));
        var fromEnd = LiteralSets.Reduce(LiteralSets.Shorten(set, limits.MaxLiterals, keepStart: false));
        return LiteralSets.Better(fromStart, fromEnd);
    }

    private static string[] Best(params string[][] candidates) => candidates.Aggregate(LiteralSets.Better);
}
