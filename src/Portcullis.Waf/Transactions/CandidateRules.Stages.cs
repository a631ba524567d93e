using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Rules;

namespace Portcullis.Waf.Transactions;

/// <summary>The walk of one value through its part's stages: each stage's output a step from the previous one's, each
/// distinct output scanned once, and the rules of the stages that gave it marked.</summary>
internal sealed partial class CandidateRules
{
    // The current value's output per stage, valid where the stamp is the current one: the string (-1: the value, or
    // an index in _strings, so an unchanged output stores no reference), its characters, and which of the value's
    // distinct scans it takes (-1: the value's own).
    private int[] _outputs = [];
    private string?[] _strings = [];
    private int _stringCount;
    private AsciiChars[] _outputChars = [];
    private int[] _outputScan = [];
    private int[] _outputStamps = [];
    private int _stamp;

    // The current value's outputs that scan differently from it and from each other: each one's literal ids (a range
    // of _ids) and the listed stages that gave it (_stageWords words of _distinctStages, all zero between values).
    private string?[] _distinct = [];
    private (int Start, int Count)[] _distinctIds = [];
    private AsciiChars[] _distinctChars = [];
    private ulong[] _distinctStages = [];
    private int _distinctCount;
    private int _stageWords;
    private int[] _ids = new int[256];
    private int _idCount;
    private ulong[] _scratch = [];

    private void ScanStages(Transaction tx, string value, int part, ulong partBit)
    {
        var scanner = tx.Rules.Literals!;
        if (_scratch.Length != scanner.Words)
        {
            _scratch = new ulong[scanner.Words];
        }
        // As collected, for every stage: the output of a pipeline that leaves the value's characters alone (or only
        // lowercases them) holds the same literals, and otherwise this only adds marks.
        var found = tx.LiteralHitsFor(scanner).For(value, scanner, out var chars);
        Mark(found, default, partBit, chars.Folded);
        var byChars = _dispatch.ByChars[part];
        var charGate = _dispatch.CharGates[part];
        if (byChars.Length > 0 && MeetsGate(chars, charGate))
        {
            MarkByChars(byChars, chars.Folded);
        }
        _stamp++;
        _stringCount = 0;
        _distinctCount = 0;
        _idCount = 0;
        foreach (ref readonly var group in _dispatch.Stages[part].AsSpan())
        {
            if (group.ScanMask is { } leaves && chars.IsSubsetOf(leaves))
            {
                continue;
            }
            foreach (var stage in group.Stages)
            {
                var scan = Output(stage, value, chars, scanner);
                if (scan >= 0)
                {
                    _distinctStages[(scan * _stageWords) + (stage.Id >> 6)] |= 1UL << (stage.Id & 63);
                }
            }
        }
        // Each distinct output's literals, once, for the stages that gave it.
        for (var k = 0; k < _distinctCount; k++)
        {
            var stages = _distinctStages.AsSpan(k * _stageWords, _stageWords);
            var (start, count) = _distinctIds[k];
            Mark(_ids.AsSpan(start, count), stages, partBit, _distinctChars[k].Folded);
            if (byChars.Length > 0 && MeetsGate(_distinctChars[k], charGate))
            {
                MarkByChars(_dispatch.CharsByStage[part], _distinctChars[k].Folded, stages);
            }
            stages.Clear();
        }
    }

    /// <summary>
    /// The stage's output for the current value, one step from the previous stage's and computed once per value: which
    /// of the value's distinct scans it takes (-1: the value's own, as it scans alike; <see cref="Pruned"/>: none). The
    /// step runs only when the input holds a character that triggers it; the output is not cached for the rules (a woken
    /// rule transforms its values again), as a lookup cost more than the step on a benign value.
    /// </summary>
    private int Output(LiteralDispatch.Stage stage, string value, AsciiChars valueChars, LiteralScanner scanner)
    {
        var id = stage.Id;
        if (_outputStamps[id] == _stamp)
        {
            return _outputScan[id];
        }
        int input;
        AsciiChars inputChars;
        int scan;
        if (stage.Previous is { } previous)
        {
            scan = Output(previous, value, valueChars, scanner);
            input = _outputs[previous.Id];
            inputChars = _outputChars[previous.Id];
        }
        else
        {
            input = -1;
            inputChars = valueChars;
            scan = -1;
        }
        var text = input < 0 ? value : _strings[input]!;
        if (scan == Pruned || text.Length < _dispatch.PruneBelow[id])
        {
            // Too short for anything a rule reading here or below could wake on, and no step below lengthens it.
            _outputScan[id] = Pruned;
            _outputStamps[id] = _stamp;
            return Pruned;
        }
        var output = input;
        var outputChars = inputChars;
        if (stage.StepLeaves is not { } leaves || !inputChars.IsSubsetOf(leaves))
        {
            var step = stage.Step[0];
            if (_dispatch.PruneBelow[id] > 0 && step.OutputLengthBound(text) < _dispatch.PruneBelow[id])
            {
                // The step would make it too short (t:base64Decode of a value whose leading run of base64 is short).
                _outputScan[id] = Pruned;
                _outputStamps[id] = _stamp;
                return Pruned;
            }
            var next = step.Apply(text);
            if (!ReferenceEquals(next, text))
            {
                output = _stringCount++;
                _strings[output] = next;
                outputChars = AsciiChars.Of(next);
                scan = ScanOf(next, outputChars, value, scanner);
            }
        }
        _outputs[id] = output;
        _outputChars[id] = outputChars;
        _outputScan[id] = scan;
        _outputStamps[id] = _stamp;
        return scan;
    }

    /// <summary>What <see cref="Output"/> answers for a stage whose output cannot wake anything (<see cref="LiteralDispatch.PruneBelow"/>).</summary>
    private const int Pruned = -2;

    /// <summary>Which distinct scan <paramref name="output"/> takes: -1 when it scans like the value, else the first
    /// output alike, scanning it when it is the first of its kind (a JSON post's ~1,500 changed outputs came to ~210
    /// distinct ones).</summary>
    private int ScanOf(string output, AsciiChars chars, string value, LiteralScanner scanner)
    {
        if (ScansAlike(output, value))
        {
            return -1;
        }
        for (var k = 0; k < _distinctCount; k++)
        {
            if (ScansAlike(output, _distinct[k]!))
            {
                return k;
            }
        }
        var scan = _distinctCount++;
        _distinct[scan] = output;
        var start = _idCount;
        scanner.ScanIds(output, _scratch, ref _ids, ref _idCount);
        _distinctIds[scan] = (start, _idCount - start);
        _distinctChars[scan] = chars;
        return scan;
    }

    /// <summary>True when the two strings are equal but for the case of ASCII letters, as the scanner reads them.</summary>
    private static bool ScansAlike(string a, string b) =>
        a.Length == b.Length && (string.Equals(a, b, StringComparison.Ordinal) || System.Text.Ascii.EqualsIgnoreCase(a, b));
}
