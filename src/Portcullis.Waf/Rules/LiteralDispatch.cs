using Portcullis.Waf.Operators;
using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>
/// Which rules a literal can wake: for every literal of the rule set's request scanner, the rules whose operator needs
/// one of a set of literals it belongs to (an <c>@rx</c> prefilter's required literals, an <c>@pm</c> list), with the
/// pipeline the rule tests it after and the stored lists (<see cref="ValuePart"/>) it reads. A transaction scans each
/// value of those lists once per pipeline and marks the rules its literals wake (<see cref="Transactions.CandidateRules"/>);
/// a rule left unmarked cannot match any value it selects, and is passed over without collecting its values.
/// <para>This turns the question around. Asked rule by rule, each target list and pipeline needed the union of its
/// values' literals: a benign GET built ~50 such unions over ~35 lists, and that was half its time. Asked value by
/// value, each value is scanned once per pipeline that changes it, whatever lists it is in.</para>
/// <para>A rule qualifies when its operator is a literal-prefiltered <c>@rx</c> or a shared <c>@pm</c>, it is not
/// negated, and every target reads stored lists whole or by key (no counts). Its selection is then a subset of its
/// parts' values, and each value of it is scanned as the rule's operator would see it.</para>
/// </summary>
internal sealed class LiteralDispatch
{
    /// <summary>Parts get a bit of a 64-bit mask: a rule reading a part past the 64th is left out.</summary>
    private const int MaxParts = 64;

    private LiteralDispatch(ValuePart[] parts, StageGroup[][] stages, Entry[][] byLiteral, CharGroup[][] byChars, int[][] ruleParts)
    {
        Parts = parts;
        Stages = stages;
        ByLiteral = byLiteral;
        ByChars = byChars;
        RuleParts = ruleParts;
    }

    /// <summary>The stored lists qualifying rules read, by dense index.</summary>
    public ValuePart[] Parts { get; }

    /// <summary>Per part, the pipelines its values are tested after (distinct; a multiMatch rule adds each prefix of its
    /// own), grouped by the characters they leave alone or only lowercase. Stages only computed on the way to another
    /// one are not listed.</summary>
    public StageGroup[][] Stages { get; }

    /// <summary>Per literal id, the qualifying rules it can wake.</summary>
    public Entry[][] ByLiteral { get; }

    /// <summary><see cref="ByLiteral"/> without the stages, one entry per rule (<see cref="Entry.Stage"/> -1): what a
    /// value's scan as collected wakes, whatever the stage.</summary>
    public Entry[][] ByLiteralAnyStage { get; private init; } = [];

    /// <summary>Per part, the qualifying rules its values wake by their characters, grouped by requirement.</summary>
    public CharGroup[][] ByChars { get; }

    /// <summary>Per part, characters one of which a value must hold to meet any of <see cref="ByChars"/> (each
    /// requirement's smallest clause, together): most benign values hold none, and are done with one test.</summary>
    public CharMask[] CharGates { get; private init; } = [];

    /// <summary>Per part and stage id, the rules of <see cref="ByChars"/> that read the part after that stage (null
    /// when none): an output that differs from its value is tested against these alone.</summary>
    public (int Candidate, CharRequirement Chars)[]?[][] CharsByStage { get; private init; } = [];

    /// <summary>Per candidate (<see cref="Rule.Candidate"/>), the parts it reads.</summary>
    public int[][] RuleParts { get; }

    /// <summary>Per candidate, <see cref="RuleParts"/> as bits.</summary>
    public ulong[] RulePartBits { get; private init; } = [];

    public int CandidateCount => RuleParts.Length;

    /// <summary>Per part, a bit per candidate that reads it: all are woken at once when the part is too long to scan
    /// value by value (<see cref="Transactions.CandidateRules.LongPart"/>).</summary>
    public ulong[][] Readers { get; private init; } = [];

    /// <summary>
    /// Per stage id, the shortest input the stage's step can turn into anything a rule reading at that stage or below it
    /// could wake on: the shortest literal of theirs (one char for a character requirement), when the step and every step
    /// below it never lengthen a value (<see cref="Transformation.NeverLengthens"/>); 0 otherwise. t:base64Decode turns
    /// a value's leading run of base64 characters into three quarters as many bytes ("json.order.id" into 3), too few
    /// for the Node.js rules' literals, so the decoding chains below it are not run for most values.
    /// </summary>
    public int[] PruneBelow { get; private init; } = [];

    /// <summary>Every stage, listed or not: the length of a value's outputs.</summary>
    public int StageCount { get; private init; }

    /// <summary>
    /// A pipeline values are scanned after: its last step applied to the output of <see cref="Previous"/> (the pipeline
    /// without that step; null for a one-step pipeline), so a multiMatch rule's prefixes are each one step from the
    /// last. <see cref="Id"/> tells entries apart and indexes a value's outputs.
    /// </summary>
    public sealed record Stage(int Id, Stage? Previous, Transformation[] Step, UnchangedChars? UnchangedBy)
    {
        /// <summary>The characters the stage's own step leaves alone (<see cref="Transformation.Triggers"/>); null when
        /// it does not say. An input made only of these is its own output, with no call.</summary>
        public AsciiChars? StepLeaves { get; } = UnchangedValues.For(Step)?.Mask;
    }

    /// <summary>
    /// Stages that leave the same characters alone or only lowercase them (<see cref="UnchangedChars.ScanMask"/>; null
    /// when a step does not say): a value made of those scans alike after each, so the group is passed over with one
    /// test. A part's ~37 stages come to a handful of groups.
    /// </summary>
    public readonly record struct StageGroup(AsciiChars? ScanMask, Stage[] Stages);

    /// <summary>A literal wakes <see cref="Candidate"/> when found in a value of one of <see cref="Parts"/> (bits of
    /// dense part indexes) once transformed by <see cref="Stage"/>, and that value also meets <see cref="Chars"/> when
    /// there is one: the characters every match of the rule's pattern holds besides the literal (942151's SQL
    /// function names need a "(" after them; most words that hold one of those names come without).</summary>
    public readonly record struct Entry(int Candidate, int Stage, ulong Parts, CharRequirement? Chars = null)
    {
        /// <summary>True when a value with these (folded) characters, holding the literal, may wake the candidate.</summary>
        public bool Admits(CharMask chars) => Chars is not { } required || required.MayMatch(chars);
    }

    /// <summary>A value of a part wakes each of <see cref="Candidates"/> when its characters as collected meet
    /// <see cref="Chars"/> (a changed output is tested per stage: <see cref="CharsByStage"/>): a pattern with no literal
    /// to search for (CRS's tag and command-chaining patterns), an evasion-gap pattern's escape, the XSS detector's
    /// triggers. Rules with the same requirement share a group, so a value is tested once per requirement, not once per
    /// rule, and each rule is woken once however many stages it reads after.</summary>
    public readonly record struct CharGroup(CharRequirement Chars, int[] Candidates)
    {
        // The first two clauses inline, so testing a group reads no other object (a JSON post tests ~25 groups a value).
        private readonly CharMask _first = Chars.Clauses[0];
        private readonly CharMask _second = Chars.Clauses.Count > 1 ? Chars.Clauses[1] : default;
        private readonly bool _two = Chars.Clauses.Count > 1;
        private readonly bool _more = Chars.Clauses.Count > 2;

        /// <summary><see cref="CharRequirement.MayMatch"/>.</summary>
        public bool MayMatch(CharMask chars) =>
            chars.HasOther || (chars.Meets(_first) && (!_two || chars.Meets(_second)) && (!_more || Chars.MayMatch(chars)));
    }

    /// <summary>
    /// Numbers the qualifying rules (<see cref="Rule.Candidate"/>; -1 for the others) and builds their index, or returns
    /// null when the rule set has no request scanner or no rule qualifies.
    /// </summary>
    public static LiteralDispatch? Build(IReadOnlyList<Rule> rules, LiteralScanner? scanner)
    {
        var partIndex = Enumerable.Repeat(-1, ValuePart.IdCount).ToArray();
        var parts = new List<ValuePart>();
        var stagesByName = new Dictionary<string, Stage>(StringComparer.Ordinal);
        var partStages = new List<List<Stage>>();
        var byLiteral = new List<Entry>?[scanner?.LiteralCount ?? 0];
        var byChars = new List<List<(CharRequirement Chars, int Candidate, int Stage)>>();
        var requirements = new Dictionary<string, CharRequirement>(StringComparer.Ordinal);
        var ruleParts = new List<int[]>();
        var rulePartBits = new List<ulong>();
        foreach (var head in rules)
        {
            foreach (var rule in head.Chain)
            {
                rule.Candidate = -1;
                if (scanner is null || WakeOf(rule, scanner) is not { } wake || PartsOf(rule) is not { } ruleValueParts)
                {
                    continue;
                }
                var indexes = new int[ruleValueParts.Length];
                for (var i = 0; i < indexes.Length; i++)
                {
                    var id = ruleValueParts[i].Id;
                    if (partIndex[id] < 0 && parts.Count < MaxParts)
                    {
                        partIndex[id] = parts.Count;
                        parts.Add(ruleValueParts[i]);
                        partStages.Add([]);
                        byChars.Add([]);
                    }
                    indexes[i] = partIndex[id];
                }
                if (indexes.Contains(-1))
                {
                    continue;
                }
                var candidate = ruleParts.Count;
                rule.Candidate = candidate;
                ruleParts.Add(indexes);
                var partBits = indexes.Aggregate(0UL, (bits, index) => bits | (1UL << index));
                rulePartBits.Add(partBits);
                var stages = StagesOf(rule, stagesByName);
                foreach (var index in indexes)
                {
                    foreach (var stage in stages)
                    {
                        if (!partStages[index].Contains(stage))
                        {
                            partStages[index].Add(stage);
                        }
                    }
                }
                if (wake.Chars is { } ruleChars)
                {
                    var chars = Interned(ruleChars, requirements);
                    foreach (var index in indexes)
                    {
                        byChars[index].AddRange(stages.Count == 0 ? [(chars, candidate, -1)] : stages.Select(stage => (chars, candidate, stage.Id)));
                    }
                }
                foreach (var literal in wake.Literals?.Ids ?? [])
                {
                    var entries = byLiteral[literal] ??= [];
                    // A stage of -1: a rule with no transformation (or none but the value itself) wakes on the collected scan alone.
                    if (stages.Count == 0)
                    {
                        entries.Add(new Entry(candidate, -1, partBits, wake.Also));
                    }
                    foreach (var stage in stages)
                    {
                        entries.Add(new Entry(candidate, stage.Id, partBits, wake.Also));
                    }
                }
            }
        }
        if (ruleParts.Count == 0)
        {
            return null;
        }
        return new LiteralDispatch(
            [.. parts],
            [.. partStages.Select(s => s.GroupBy(stage => stage.UnchangedBy?.ScanMask).Select(g => new StageGroup(g.Key, [.. g])).ToArray())],
            [.. byLiteral.Select(e => e?.ToArray() ?? [])],
            [.. byChars.Select(GroupsOf)],
            [.. ruleParts])
        {
            ByLiteralAnyStage = [.. byLiteral.Select(e => e?.Select(entry => entry with { Stage = -1 }).Distinct().ToArray() ?? [])],
            CharGates = [.. byChars.Select(GateOf)],
            CharsByStage = [.. byChars.Select(entries => ByStage(entries, stagesByName.Count))],
            PruneBelow = PruneBelowOf([.. stagesByName.Values.OrderBy(stage => stage.Id)], byLiteral, byChars, scanner!),
            StageCount = stagesByName.Count, Readers = ReadersOf(parts.Count, ruleParts),
            RulePartBits = [.. rulePartBits] };
    }

    private static int[] PruneBelowOf(Stage[] stages, List<Entry>?[] byLiteral, List<List<(CharRequirement Chars, int Candidate, int Stage)>> byChars, LiteralScanner scanner)
    {
        // What each stage's own readers need at least, then what its subtree needs (a child has a larger id).
        var reach = Enumerable.Repeat(int.MaxValue, stages.Length).ToArray();
        for (var literal = 0; literal < byLiteral.Length; literal++)
        {
            foreach (var entry in byLiteral[literal] ?? [])
            {
                if (entry.Stage >= 0)
                {
                    reach[entry.Stage] = Math.Min(reach[entry.Stage], scanner.LiteralLengths[literal]);
                }
            }
        }
        foreach (var entry in byChars.SelectMany(part => part))
        {
            if (entry.Stage >= 0)
            {
                reach[entry.Stage] = Math.Min(reach[entry.Stage], 1);
            }
        }
        var prune = new int[stages.Length];
        for (var id = stages.Length - 1; id >= 0; id--)
        {
            var stage = stages[id];
            prune[id] = stage.Step[0].NeverLengthens ? reach[id] : 0;
            if (stage.Previous is { } previous)
            {
                reach[previous.Id] = Math.Min(reach[previous.Id], prune[id]);
            }
        }
        return prune;
    }

    private static CharRequirement Interned(CharRequirement chars, Dictionary<string, CharRequirement> requirements)
    {
        var key = string.Join(';', chars.Clauses.Select(c => $"{c.Low:x}.{c.High:x}"));
        return requirements.TryAdd(key, chars) ? chars : requirements[key];
    }

    private static CharMask GateOf(List<(CharRequirement Chars, int Candidate, int Stage)> entries) =>
        entries.Select(e => e.Chars.Clauses.MinBy(Commonness)).Aggregate(default(CharMask), (gate, clause) => gate.Or(clause));

    /// <summary>How often benign text holds one of the clause's characters, roughly: the gate takes each requirement's
    /// rarest clause ("=" rather than "." of 941340's three), so that names like "json.order.id" pass it by.</summary>
    private static int Commonness(CharMask clause) =>
        " .,-_/:@".Count(clause.Contains) * 16 + clause.Count;

    private static (int, CharRequirement)[]?[] ByStage(List<(CharRequirement Chars, int Candidate, int Stage)> entries, int stageCount)
    {
        var byStage = new (int, CharRequirement)[]?[stageCount];
        foreach (var stage in entries.Where(e => e.Stage >= 0).GroupBy(e => e.Stage))
        {
            byStage[stage.Key] = [.. stage.Select(e => (e.Candidate, e.Chars))];
        }
        return byStage;
    }

    private static CharGroup[] GroupsOf(List<(CharRequirement Chars, int Candidate, int Stage)> entries) =>
        [.. entries.GroupBy(e => e.Chars).Select(g => new CharGroup(g.Key, [.. g.Select(e => e.Candidate).Distinct()]))];

    private static ulong[][] ReadersOf(int partCount, List<int[]> ruleParts)
    {
        var readers = new ulong[partCount][];
        for (var part = 0; part < partCount; part++)
        {
            readers[part] = new ulong[(ruleParts.Count + 63) / 64];
        }
        for (var candidate = 0; candidate < ruleParts.Count; candidate++)
        {
            foreach (var part in ruleParts[candidate])
            {
                readers[part][candidate >> 6] |= 1UL << (candidate & 63);
            }
        }
        return readers;
    }

    /// <summary>
    /// What a value must hold, once transformed, for the rule's operator to be able to match it: one of a set of
    /// literals of the request scanner, or characters meeting a requirement (<c>Chars</c>), or either; and, with a
    /// literal, characters meeting <c>Also</c> when the pattern says. Null when the rule does not qualify (negated, or
    /// an operator that tells nothing from a scan).
    /// </summary>
    private static (LiteralMask? Literals, CharRequirement? Chars, CharRequirement? Also)? WakeOf(Rule rule, LiteralScanner scanner)
    {
        if (rule.Negated)
        {
            return null;
        }
        switch (rule.Operator)
        {
            case RxOperator rx when rx.RequiredLiterals is { } literals:
                return (literals, null, rx.Chars);
            case RxOperator { WholeValue: false, SharedMask: null, GapMasks.Length: > 0 } rx:
                // A value without a gap character holds a literal of every clause, so of the smallest one.
                return (rx.GapMasks.MinBy(m => m.Ids.Count()), CharRequirement.AnyOf(GapClauses.Escape), rx.Chars);
            case RxOperator { WholeValue: false, SharedMask: null, Chars: { } chars }:
                return (null, chars, null);
            case PmOperator pm when pm.MaskIn(scanner) is { } literals:
                // Its phrases left out of the scan hold a character above 0x7F: a value without one cannot hold them.
                return (literals, pm.NonAsciiLeftOut ? CharRequirement.NonAscii : null, null);
            case DetectXssOperator:
                return (null, DetectXssOperator.Chars, null);
            default:
                return null;
        }
    }

    /// <summary>The stored lists the rule's values all come from, or null when a target counts or reads something else.</summary>
    private static ValuePart[]? PartsOf(Rule rule)
    {
        if (rule.TargetSet is null || rule.Targets.Any(t => t.Count))
        {
            return null;
        }
        return [.. rule.Targets.SelectMany(t => ValuePart.Of(t.Variable)).Distinct()];
    }

    /// <summary>
    /// The pipelines the rule's operator sees a value after: its own, or with multiMatch each prefix of it (the value
    /// as collected is the collected scan, always marked). Interned by their steps' names, so rules with the same
    /// pipeline or prefix share a stage.
    /// </summary>
    private static List<Stage> StagesOf(Rule rule, Dictionary<string, Stage> stagesByName)
    {
        var stages = new List<Stage>();
        var steps = rule.Transformations;
        Stage? previous = null;
        for (var length = 1; length <= steps.Length; length++)
        {
            var name = NameOf(steps.AsSpan(0, length));
            if (!stagesByName.TryGetValue(name, out var stage))
            {
                var unchangedBy = length == steps.Length ? rule.UnchangedBy : UnchangedValues.For(steps[..length]);
                stage = new Stage(stagesByName.Count, previous, steps[length - 1].Alone, unchangedBy);
                stagesByName[name] = stage;
            }
            if (rule.MultiMatch || length == steps.Length)
            {
                stages.Add(stage);
            }
            previous = stage;
        }
        return stages;
    }

    private static string NameOf(ReadOnlySpan<Transformation> pipeline)
    {
        var names = new string[pipeline.Length];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = pipeline[i].Name;
        }
        return string.Join(',', names);
    }
}
