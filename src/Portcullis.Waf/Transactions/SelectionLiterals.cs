using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// The prefilter literals found in any value of a shared selection once one pipeline has transformed it. When a
/// rule's <see cref="LiteralMask"/> meets none of them, none of its values can pass its prefilter, so the rule is
/// skipped whole instead of asking value by value: CRS's attack families test the same ~15 values of a GET with
/// ~150 rules, most of them prefiltered, and a handful of pipelines. Computed once per selection and pipeline, from
/// the same per-value scans the rules would use (<see cref="LiteralHits"/>), so a skip cannot differ from the rule's
/// own answer; or a superset of it: the union of the values as collected plus what the pipeline changes
/// (<see cref="OverCollected"/>), or over a long selection that reads whole lists the union of its parts
/// (<see cref="ViewLiterals"/>).
/// </summary>
internal static class SelectionLiterals
{
    /// <summary>
    /// Selections this long take a pipeline's union from their parts' (<see cref="FromParts"/>), and a multiMatch rule's
    /// untriggered steps through the transformation cache (<see cref="StepsUnion"/>). A shorter one is cheaper on its
    /// own: with a GET's ~15 values the extra bookkeeping cost more than it saved.
    /// </summary>
    internal const int CollectedFirstFrom = 48;

    /// <summary>The key of the union of the values as collected.</summary>
    private static readonly object Collected = new();

    /// <summary>The literal bits (the scanner's <see cref="LiteralScanner.Words"/> words), then the characters of all
    /// values together (<see cref="CharsOf"/>).</summary>
    /// <param name="parts">The stored lists the selection reads whole (<see cref="TargetSet.Parts"/>), or null: with
    /// them a long selection's union is the parts' (<see cref="ViewLiterals"/>), a superset when the set excludes some
    /// values. A short one is cheaper scanned on its own (measured: a GET's ~15 values, parts +3-5 %; a 2 KB JSON body's
    /// ~175, parts -6 %).</param>
    public static ReadOnlySpan<ulong> Union(Transaction tx, SharedSelection selection, ValuePart[]? parts, Transformation[] pipeline, UnchangedChars? unchangedBy, LiteralScanner scanner)
    {
        var words = scanner.Words;
        var bits = selection.DerivedBits(pipeline, words + 3, out var added);
        if (!added)
        {
            return bits;
        }
        if (parts is not null && selection.Values.Count >= CollectedFirstFrom && FromParts(tx, parts, pipeline, unchangedBy, scanner, bits))
        {
            return bits;
        }
        if (pipeline.Length == 0)
        {
            CollectedUnion(tx, selection, scanner).CopyTo(bits);
            return bits;
        }
        if (unchangedBy is not null)
        {
            OverCollected(tx, selection, pipeline, unchangedBy, scanner, bits);
            return bits;
        }
        var hits = tx.LiteralHitsFor(scanner);
        var values = selection.Values;
        var all = default(AsciiChars);
        for (var v = 0; v < values.Count; v++)
        {
            var found = hits.For(TransformationPipeline.Apply(tx, pipeline, unchangedBy, values[v]), scanner, out var chars);
            Set(bits, found);
            all = all.Or(chars);
        }
        Finish(bits, all);
        return bits;
    }

    /// <summary>
    /// The union for a multiMatch rule: over every string its operator would see, each value and every step output
    /// that differs from the step's input (<see cref="RuleEvaluator"/>). Kept under the rule, as the pipeline's own
    /// union means the final outputs only. A value made of characters the pipeline leaves alone or only lowercases
    /// (<see cref="UnchangedChars.ScanMask"/>) scans the same after every step, so its steps are not run.
    /// <para>Measured on the profile loop: JSON −4 %, GET and form within noise (the skipped rules' cost was mostly
    /// their transformations and the scans of the outputs, which the union still needs).</para>
    /// </summary>
    public static ReadOnlySpan<ulong> StepsUnion(Transaction tx, SharedSelection selection, Rules.Rule rule, LiteralScanner scanner)
    {
        var bits = selection.DerivedBits(rule, scanner.Words + 3, out var added);
        if (!added)
        {
            return bits;
        }
        var hits = tx.LiteralHitsFor(scanner);
        var safe = rule.UnchangedBy?.ScanMask;
        var values = selection.Values;
        var cacheUntriggered = values.Count >= CollectedFirstFrom;
        var all = default(AsciiChars);
        var repeated = RepeatedValues.Current;
        for (var v = 0; v < values.Count; v++)
        {
            var current = values[v].Value;
            Set(bits, hits.For(current, scanner, out var chars));
            all = all.Or(chars);
            if (safe is { } mask && chars.IsSubsetOf(mask))
            {
                continue;
            }
            // A repeated header string's step outputs are cached, and so kept with their scans past the transaction.
            var kept = repeated.IsKept(current);
            foreach (var step in rule.Transformations)
            {
                // A step without declared triggers changes nearly every value (t:base64Decode): over a long list it
                // is cached, so the rules that run it on the same input (934100 and 934160) share its output and the
                // output's scan. Measured: JSON -5 %; over a form's ten values the lookups cost more (+3 %).
                var next = kept || (cacheUntriggered && step.Triggers is null) ? tx.Transformations.Apply(current, step.Alone) : step.Apply(current);
                if (ReferenceEquals(next, current) || next == current)
                {
                    continue;
                }
                current = next;
                Set(bits, hits.For(current, scanner, out var changed));
                all = all.Or(changed);
            }
        }
        Finish(bits, all);
        return bits;
    }

    /// <summary>
    /// A selection this long gets its values' scans kept together (<see cref="ValueScans"/>) for the rules that go
    /// through its values one by one.
    /// </summary>
    internal const int ScansFrom = 32;

    /// <summary>
    /// The literal scan of each value of the selection once <paramref name="pipeline"/> has transformed it, kept in
    /// value order, so a prefiltered rule tests each value's scan (<see cref="Transactions.ValueScans.MayMatch"/>)
    /// without transforming the value or looking its scan up. Made once per selection and pipeline, from the same
    /// per-value scans the rule's operator would use (<see cref="LiteralHits"/>): a JSON body's ~175 values go through
    /// ~15 prefiltered rules that way.
    /// </summary>
    public static ValueScans ValueScans(Transaction tx, SharedSelection selection, Transformation[] pipeline, UnchangedChars? unchangedBy, LiteralScanner scanner)
    {
        var scans = selection.ScansFor(pipeline, out var added);
        if (!added)
        {
            return scans;
        }
        ValueScans? collected = null;
        if (unchangedBy is not null && pipeline.Length > 0)
        {
            collected = selection.ScansFor(Collected, out var collectedAdded);
            if (collectedAdded)
            {
                collected.Fill(tx, selection.Values, [], null, scanner, null);
            }
        }
        scans.Fill(tx, selection.Values, pipeline, unchangedBy, scanner, collected);
        return scans;
    }

    /// <summary>The union as the OR of its parts' unions; false (and <paramref name="bits"/> cleared) when one is not known.</summary>
    private static bool FromParts(Transaction tx, ValuePart[] parts, Transformation[] pipeline, UnchangedChars? unchangedBy, LiteralScanner scanner, ulong[] bits)
    {
        var views = tx.LiteralHitsFor(scanner).Views;
        var all = default(AsciiChars);
        foreach (var part in parts)
        {
            if (!views.TryUnion(tx, part, pipeline, unchangedBy, scanner, out var ids, out var chars))
            {
                Array.Clear(bits);
                return false;
            }
            Set(bits, ids);
            all = all.Or(chars);
        }
        Finish(bits, all);
        return true;
    }

    /// <summary>The characters any value of the union holds, case-folded (a value with a character above 0x7F makes it "any").</summary>
    public static CharMask CharsOf(ReadOnlySpan<ulong> union) => new AsciiChars(union[^3], union[^2], union[^1] != 0).Folded;

    /// <summary>
    /// A pipeline's union: the union of the values as collected, plus the literals of each value the pipeline may change
    /// other than by lowercasing it (<see cref="UnchangedChars.ScanMask"/>; the scan ignores case). When no value holds
    /// a character the pipeline changes, that is the collected union itself, with no look at the values. A superset of
    /// the exact union (it keeps what a changed value held before the change), which is all a skip needs: it is sure
    /// only when it says "none". Benign values are mostly left alone, so a selection's ~25 pipelines cost one set test
    /// each, or a character test per value, instead of a lookup per value.
    /// <para>Measured on the profile loop against a per-pipeline scan for selections under 48 values: form -11 %,
    /// JSON -2 to -4 %, GET within noise.</para>
    /// </summary>
    private static void OverCollected(Transaction tx, SharedSelection selection, Transformation[] pipeline, UnchangedChars unchangedBy, LiteralScanner scanner, ulong[] bits)
    {
        var collected = CollectedUnion(tx, selection, scanner);
        collected.CopyTo(bits);
        var hits = tx.LiteralHitsFor(scanner);
        var values = selection.Values;
        var chars = selection.CollectedChars;
        var all = new AsciiChars(bits[^3], bits[^2], bits[^1] != 0);
        if (all.IsSubsetOf(unchangedBy.ScanMask))
        {
            return;
        }
        for (var v = 0; v < values.Count; v++)
        {
            if (chars[v].IsSubsetOf(unchangedBy.ScanMask))
            {
                continue;
            }
            // Not a subset of ScanMask, so not of its part Mask either: the value is not one the pipeline leaves alone.
            Set(bits, hits.For(tx.Transformations.Apply(values[v].Value, pipeline), scanner, out var changed));
            all = all.Or(changed);
        }
        Finish(bits, all);
    }

    /// <summary>The union of the values as collected, noting each value's characters in <see cref="SharedSelection.CollectedChars"/>.</summary>
    private static ReadOnlySpan<ulong> CollectedUnion(Transaction tx, SharedSelection selection, LiteralScanner scanner)
    {
        var bits = selection.DerivedBits(Collected, scanner.Words + 3, out var added);
        if (!added)
        {
            return bits;
        }
        var hits = tx.LiteralHitsFor(scanner);
        var values = selection.Values;
        var chars = selection.CollectedCharsFor(values.Count);
        var all = default(AsciiChars);
        for (var v = 0; v < values.Count; v++)
        {
            Set(bits, hits.For(values[v].Value, scanner, out chars[v]));
            all = all.Or(chars[v]);
        }
        Finish(bits, all);
        return bits;
    }

    private static void Set(ulong[] bits, ReadOnlySpan<int> ids)
    {
        foreach (var id in ids)
        {
            bits[id >> 6] |= 1UL << (id & 63);
        }
    }

    private static void Finish(ulong[] bits, AsciiChars all)
    {
        bits[^3] = all.Low;
        bits[^2] = all.High;
        bits[^1] = all.HasOther ? 1UL : 0;
    }
}
