using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Rules;

/// <summary>
/// Puts the literals of every <c>@rx</c> prefilter of a rule set into one <see cref="LiteralScanner"/> and gives each
/// operator its <see cref="LiteralMask"/>, once the rule set is final. Left out, keeping their own search: the
/// evasion-gap prefilters (they test the value with the gap's characters deleted) and any with a non-ASCII literal
/// (their search folds case beyond ASCII).
/// </summary>
internal static class SharedLiterals
{
    /// <summary>Returns the scanner, or null when no prefilter qualifies.</summary>
    public static LiteralScanner? Assign(IEnumerable<Rule> rules)
    {
        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var literals = new List<string>();
        var operators = new List<(RxOperator Operator, int[] Ids)>();
        foreach (var head in rules)
        {
            for (var rule = head; rule is not null; rule = rule.Next)
            {
                if (rule.Operator is not RxOperator { Prefilter: { AfterGap: false } prefilter } rx
                    || !prefilter.Literals.All(l => l.Length > 0 && l.All(char.IsAscii)))
                {
                    continue;
                }
                var mine = new int[prefilter.Literals.Count];
                for (var i = 0; i < mine.Length; i++)
                {
                    var literal = prefilter.Literals[i];
                    if (!ids.TryGetValue(literal, out var id))
                    {
                        id = literals.Count;
                        ids[literal] = id;
                        literals.Add(literal);
                    }
                    mine[i] = id;
                }
                operators.Add((rx, mine));
            }
        }
        if (literals.Count == 0)
        {
            return null;
        }
        var scanner = new LiteralScanner(literals);
        foreach (var (rx, mine) in operators)
        {
            rx.SharedMask = new LiteralMask(mine);
        }
        return scanner;
    }
}
