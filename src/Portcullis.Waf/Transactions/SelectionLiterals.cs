using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// The prefilter literals found in any value of a shared selection once one pipeline has transformed it. When a
/// rule's <see cref="LiteralMask"/> meets none of them, none of its values can pass its prefilter, so the rule is
/// skipped whole instead of asking value by value: CRS's attack families test the same ~15 values of a GET with
/// ~150 rules, most of them prefiltered, and a handful of pipelines. Computed once per selection and pipeline, from
/// the same per-value scans the rules would use (<see cref="LiteralHits"/>), so the answer cannot differ.
/// </summary>
internal static class SelectionLiterals
{
    public static ReadOnlySpan<ulong> Union(Transaction tx, SharedSelection selection, Transformation[] pipeline, System.Buffers.SearchValues<char>? unchangedBy, LiteralScanner scanner)
    {
        var bits = selection.DerivedBits(pipeline, scanner.Words, out var added);
        if (!added)
        {
            return bits;
        }
        var hits = tx.LiteralHitsFor(scanner);
        var values = selection.Values;
        for (var v = 0; v < values.Count; v++)
        {
            foreach (var id in hits.For(TransformationPipeline.Apply(tx, pipeline, unchangedBy, values[v]), scanner))
            {
                bits[id >> 6] |= 1UL << (id & 63);
            }
        }
        return bits;
    }
}
