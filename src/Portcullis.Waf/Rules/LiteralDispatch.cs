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

    private LiteralDispatch(ValuePart[] parts, Stage[][] stages, Entry[][] byLiteral, int[][] ruleParts)
    {
        Parts = parts;
        Stages = stages;
        ByLiteral = byLiteral;
        RuleParts = ruleParts;
    }

    /// <summary>The stored lists qualifying rules read, by dense index.</summary>
    public ValuePart[] Parts { get; }

    /// <summary>Per part, the pipelines its values are tested after (distinct; a multiMatch rule adds each prefix of its
    /// own). Stages only computed on the way to another one are not listed.</summary>
    public Stage[][] Stages { get; }

    /// <summary>Per literal id, the qualifying rules it can wake.</summary>
    public Entry[][] ByLiteral { get; }

    /// <summary>Per candidate (<see cref="Rule.Candidate"/>), the parts it reads.</summary>
    public int[][] RuleParts { get; }

    public int CandidateCount => RuleParts.Length;

    /// <summary>Per part, a bit per candidate that reads it: all are woken at once when the part is too long to scan
    /// value by value (<see cref="Transactions.CandidateRules.LongPart"/>).</summary>
    public ulong[][] Readers { get; private init; } = [];

    /// <summary>Every stage, listed or not: the length of a value's outputs.</summary>
    public int StageCount { get; private init; }

    /// <summary>
    /// A pipeline values are scanned after: its last step applied to the output of <see cref="Previous"/> (the pipeline
    /// without that step; null for a one-step pipeline), so a multiMatch rule's prefixes are each one step from the
    /// last. <see cref="Id"/> tells entries apart and indexes a value's outputs.
    /// </summary>
    public sealed record Stage(int Id, Stage? Previous, Transformation[] Step, UnchangedChars? UnchangedBy);

    /// <summary>A literal wakes <see cref="Candidate"/> when found in a value of one of <see cref="Parts"/> (bits of
    /// dense part indexes) once transformed by <see cref="Stage"/>.</summary>
    public readonly record struct Entry(int Candidate, int Stage, ulong Parts);

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
        var ruleParts = new List<int[]>();
        foreach (var head in rules)
        {
            foreach (var rule in head.Chain)
            {
                rule.Candidate = -1;
                if (scanner is null || MaskOf(rule, scanner) is not { } mask || PartsOf(rule) is not { } ruleValueParts)
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
                foreach (var literal in mask.Ids)
                {
                    var entries = byLiteral[literal] ??= [];
                    // A stage of -1: a rule with no transformation (or none but the value itself) wakes on the collected scan alone.
                    if (stages.Count == 0)
                    {
                        entries.Add(new Entry(candidate, -1, partBits));
                    }
                    foreach (var stage in stages)
                    {
                        entries.Add(new Entry(candidate, stage.Id, partBits));
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
            [.. partStages.Select(s => s.ToArray())],
            [.. byLiteral.Select(e => e?.ToArray() ?? [])],
            [.. ruleParts]) { StageCount = stagesByName.Count, Readers = ReadersOf(parts.Count, ruleParts) };
    }

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

    /// <summary>The literals one of which the rule's operator needs in a value, from the request scanner; null when it
    /// does not qualify.</summary>
    private static LiteralMask? MaskOf(Rule rule, LiteralScanner scanner) => rule.Negated ? null : rule.Operator switch
    {
        RxOperator rx => rx.RequiredLiterals,
        PmOperator pm => pm.MaskIn(scanner),
        _ => null,
    };

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
