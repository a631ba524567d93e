namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// Operations on sets of lowercase literals (sorted, distinct string arrays). The set <c>[""]</c> is the trivial
/// requirement ("contains the empty string"), which every string meets: it stands for "nothing known".
/// </summary>
internal static class LiteralSets
{
    public static string[] Nothing { get; } = [""];

    public static bool IsNothing(IReadOnlyList<string> set) => set.Count == 0 || set.Any(s => s.Length == 0);

    public static string[] Product(IReadOnlyList<string> left, IReadOnlyList<string> right)
    {
        var result = new HashSet<string>(left.Count * right.Count, StringComparer.Ordinal);
        foreach (var l in left)
        {
            foreach (var r in right)
            {
                result.Add(l + r);
            }
        }
        return Sorted(result);
    }

    public static string[] Union(IEnumerable<IReadOnlyList<string>> sets) => Sorted(new HashSet<string>(sets.SelectMany(s => s), StringComparer.Ordinal));

    /// <summary>
    /// Cuts every literal to its first (or last) k chars, with the largest k that leaves at most
    /// <paramref name="max"/> distinct literals. Sound for every set kind it is used on: a prefix of a required prefix
    /// is still a prefix, and a piece of a required literal is still required (if "select" must occur, so must "sel").
    /// </summary>
    public static string[] Shorten(string[] set, int max, bool keepStart)
    {
        if (set.Length <= max)
        {
            return set;
        }
        // The number of distinct cut literals never falls as k grows, so search for the largest k that fits.
        int low = 0, high = set.Max(s => s.Length);
        while (low < high)
        {
            var k = (low + high + 1) / 2;
            if (Cut(set, k, keepStart).Count <= max)
            {
                low = k;
            }
            else
            {
                high = k - 1;
            }
        }
        return Sorted(Cut(set, low, keepStart));
    }

    private static HashSet<string> Cut(string[] set, int k, bool keepStart)
    {
        var cut = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in set)
        {
            cut.Add(s.Length <= k ? s : keepStart ? s[..k] : s[^k..]);
        }
        return cut;
    }

    /// <summary>Drops every literal that contains another one of the set: a value holding the longer one holds the
    /// shorter too, so the requirement is unchanged and the set smaller.</summary>
    public static string[] Reduce(string[] set)
    {
        if (IsNothing(set))
        {
            return Nothing;
        }
        var byLength = set.OrderBy(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray();
        var kept = new List<string>();
        foreach (var s in byLength)
        {
            if (!kept.Exists(k => s.Contains(k, StringComparison.Ordinal)))
            {
                kept.Add(s);
            }
        }
        return Sorted(kept);
    }

    /// <summary>The more useful of two requirement sets: a longer shortest literal first (capped, since beyond a few
    /// bytes a literal is rare in benign traffic anyway), then fewer literals.</summary>
    public static string[] Better(string[] a, string[] b) => Score(b).CompareTo(Score(a)) > 0 ? b : a;

    private static (int CappedLength, int NegativeCount, int Length) Score(string[] set)
    {
        if (IsNothing(set))
        {
            return (-1, int.MinValue, -1);
        }
        var shortest = set.Min(s => s.Length);
        return (Math.Min(shortest, 4), -set.Length, shortest);
    }

    private static string[] Sorted(IEnumerable<string> set)
    {
        var array = set.ToArray();
        Array.Sort(array, StringComparer.Ordinal);
        return array;
    }
}
