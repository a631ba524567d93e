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
    /// <summary>The literal bits (the scanner's <see cref="LiteralScanner.Words"/> words), then the characters of all
    /// values together (<see cref="CharsOf"/>).</summary>
    public static ReadOnlySpan<ulong> Union(Transaction tx, SharedSelection selection, Transformation[] pipeline, System.Buffers.SearchValues<char>? unchangedBy, LiteralScanner scanner)
    {
        var words = scanner.Words;
        var bits = selection.DerivedBits(pipeline, words + 3, out var added);
        if (!added)
        {
            return bits;
        }
        var hits = tx.LiteralHitsFor(scanner);
        var values = selection.Values;
        var all = default(CharMask);
        for (var v = 0; v < values.Count; v++)
        {
            var found = hits.For(TransformationPipeline.Apply(tx, pipeline, unchangedBy, values[v]), scanner, out var chars);
            foreach (var id in found)
            {
                bits[id >> 6] |= 1UL << (id & 63);
            }
            all = all.Or(chars);
        }
        bits[words] = all.Low;
        bits[words + 1] = all.High;
        bits[words + 2] = all.HasOther ? 1UL : 0;
        return bits;
    }

    /// <summary>The characters any value of the union holds (a value with a character above 0x7F makes it "any").</summary>
    public static CharMask CharsOf(ReadOnlySpan<ulong> union) => new(union[^3], union[^2], union[^1] != 0);
}
