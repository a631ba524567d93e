using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Rules;

/// <summary>
/// Puts the literals of every <c>@rx</c> prefilter of a rule set, and the phrases of the request phases' <c>@pm</c>
/// operators, into one <see cref="LiteralScanner"/> and gives each operator its <see cref="LiteralMask"/>, once the
/// rule set is final. Left out, keeping their own search: the evasion-gap prefilters (they test the value with the
/// gap's characters deleted), any prefilter with a non-ASCII literal (their search folds case beyond ASCII), and an
/// <c>@pm</c> list's phrases with a character above 0x7F (its ASCII ones join; <see cref="PmOperator.NonAsciiLeftOut"/>).
/// <para>The response phases' <c>@pm</c> lists (CRS's error-page and web-shell lists: ~2,200 phrases that no request
/// value needs scanned for) get a second scanner of their own, so a response body is read once for all of them
/// instead of once per list (seven lists at PL1).</para>
/// </summary>
internal static class SharedLiterals
{
    /// <summary>Returns the request scanner and the response phases' <c>@pm</c> scanner, each null when nothing qualifies.</summary>
    public static (LiteralScanner? Request, LiteralScanner? Response) Assign(IReadOnlyList<Rule> rules) =>
        (AssignRequest(rules), AssignResponsePhrases(rules));

    private static LiteralScanner? AssignResponsePhrases(IEnumerable<Rule> rules)
    {
        var lists = new List<PmOperator>();
        foreach (var head in rules)
        {
            foreach (var rule in head.Chain)
            {
                if (rule.Operator is PmOperator pm && head.Phase > 2 && pm.Phrases.All(p => p.Length > 0 && p.All(char.IsAscii)))
                {
                    lists.Add(pm);
                }
            }
        }
        var literals = new LiteralIds();
        var masks = lists.Select(pm => pm.Phrases.Select(literals.Id).ToArray()).ToList();
        if (literals.All.Count == 0)
        {
            return null;
        }
        var scanner = new LiteralScanner(literals.All);
        for (var i = 0; i < lists.Count; i++)
        {
            lists[i].Share(scanner, new LiteralMask(masks[i]));
        }
        return scanner;
    }

    private static LiteralScanner? AssignRequest(IEnumerable<Rule> rules)
    {
        var literals = new LiteralIds();
        var operators = new List<(Operator Operator, int[] Ids, bool NonAsciiLeftOut)>();
        var gapClauses = new List<(RxOperator Operator, int[][] Ids)>();
        foreach (var head in rules)
        {
            foreach (var rule in head.Chain)
            {
                if (rule.Operator is RxOperator { GapClauseLiterals.Count: > 0 } gapped)
                {
                    gapClauses.Add((gapped, [.. gapped.GapClauseLiterals.Select(clause => clause.Select(literals.Id).ToArray())]));
                }
                if (rule.Operator is PmOperator pm)
                {
                    // Phrases with a character above 0x7F stay with the operator's own search (NonAsciiLeftOut).
                    var ascii = pm.Phrases.Where(p => p.All(char.IsAscii)).ToArray();
                    if (head.Phase <= 2 && ascii.Length > 0 && pm.Phrases.All(p => p.Length > 0))
                    {
                        operators.Add((pm, [.. ascii.Select(literals.Id)], ascii.Length < pm.Phrases.Count));
                    }
                    continue;
                }
                if (rule.Operator is not RxOperator { Prefilter: { AfterGap: false } prefilter }
                    || !prefilter.Literals.All(l => l.Length > 0 && l.All(char.IsAscii)))
                {
                    continue;
                }
                operators.Add((rule.Operator, [.. prefilter.Literals.Select(literals.Id)], false));
            }
        }
        if (literals.All.Count == 0)
        {
            return null;
        }
        foreach (var (rx, clauses) in gapClauses)
        {
            rx.GapMasks = [.. clauses.Select(c => new LiteralMask(c))];
        }
        var scanner = new LiteralScanner(literals.All);
        foreach (var (op, mine, nonAsciiLeftOut) in operators)
        {
            var mask = new LiteralMask(mine);
            if (op is RxOperator rx)
            {
                rx.SharedMask = mask;
            }
            else
            {
                ((PmOperator)op).Share(scanner, mask, nonAsciiLeftOut);
            }
        }
        return scanner;
    }
}
