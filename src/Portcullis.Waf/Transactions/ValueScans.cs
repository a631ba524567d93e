using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// The literal scan of each value of a shared selection once one pipeline has transformed it: the literal ids found
/// and exactly which characters, in value order (<see cref="SelectionLiterals.ValueScans"/>). A rule going through the
/// values one by one asks its operator's prefilter about each scan here (<see cref="MayMatch"/>), and transforms and
/// evaluates only the values that pass it; before, each value cost a transformation lookup and a scan lookup per rule.
/// <para>Bounded by the selection it belongs to; storage that grew past <see cref="IsLarge"/> is not kept for the
/// next transaction.</para>
/// </summary>
internal sealed class ValueScans
{
    private const int LargeValues = 1024;
    private const int LargeIds = 16 * 1024;

    private int[] _starts = new int[65];
    private int[] _ids = new int[256];
    private AsciiChars[] _chars = new AsciiChars[64];

    /// <summary>True when the storage is larger than an ordinary request needs.</summary>
    public bool IsLarge => _chars.Length > LargeValues || _ids.Length > LargeIds;

    /// <summary>
    /// Scans each of <paramref name="values"/> transformed by <paramref name="pipeline"/> (through the transaction's
    /// caches, as a rule's operator would). With <paramref name="collected"/>, the scans of the values as collected, a
    /// value made of characters the pipeline leaves alone or only lowercases (<see cref="UnchangedChars.ScanMask"/>)
    /// takes its collected scan: the scan ignores case, and the prefilters test the case-folded characters.
    /// </summary>
    public void Fill(Transaction tx, List<VariableValue> values, Transformation[] pipeline, UnchangedChars? unchangedBy, LiteralScanner scanner, ValueScans? collected)
    {
        var count = values.Count;
        if (_chars.Length < count)
        {
            _chars = new AsciiChars[Math.Max(count, _chars.Length * 2)];
            _starts = new int[_chars.Length + 1];
        }
        var hits = tx.LiteralHitsFor(scanner);
        var at = 0;
        for (var v = 0; v < count; v++)
        {
            _starts[v] = at;
            ReadOnlySpan<int> found;
            if (collected is not null && collected._chars[v].IsSubsetOf(unchangedBy!.ScanMask))
            {
                found = collected._ids.AsSpan(collected._starts[v], collected._starts[v + 1] - collected._starts[v]);
                _chars[v] = collected._chars[v];
            }
            else
            {
                found = hits.For(TransformationPipeline.Apply(tx, pipeline, unchangedBy, values[v]), scanner, out _chars[v]);
            }
            if (at + found.Length > _ids.Length)
            {
                Array.Resize(ref _ids, Math.Max(at + found.Length, _ids.Length * 2));
            }
            found.CopyTo(_ids.AsSpan(at));
            at += found.Length;
        }
        _starts[count] = at;
    }

    /// <summary>
    /// False when value <paramref name="index"/> cannot pass the prefilter of <paramref name="op"/> as far as its scan
    /// tells (<see cref="RxOperator.MayMatchScan"/>; an <c>@pm</c> in the same scan needs one of its phrases): then
    /// the operator would answer false without searching. True for any other operator.
    /// </summary>
    public bool MayMatch(int index, Operator op, LiteralScanner scanner)
    {
        var found = _ids.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);
        return op switch
        {
            RxOperator rx => rx.MayMatchScan(found, _chars[index]),
            PmOperator pm when pm.MaskIn(scanner) is { } mask => pm.MayMatchScan(mask, found, _chars[index]),
            _ => true,
        };
    }
}
