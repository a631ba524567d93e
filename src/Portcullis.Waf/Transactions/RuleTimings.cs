using System.Diagnostics;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Where a transaction's time goes, rule by rule: when <see cref="Enabled"/>, each rule's evaluation (its chain with
/// it) and each dispatch question (<see cref="CandidateRules.MayMatch"/>, which scans a list when first asked) are
/// timed and added up per rule id. A developer's diagnostic for the profile loop (<c>--profile-waf json 20
/// --rules</c>); off, it costs one test of a static field per rule. Process-wide, under a lock: time one thread.
/// </summary>
internal static class RuleTimings
{
    private static readonly Dictionary<int, (long Evaluate, long Dispatch, long Count)> Totals = [];

    /// <summary>Set before the transactions to time; read on every rule.</summary>
    public static bool Enabled { get; set; }

    public static long Start() => Stopwatch.GetTimestamp();

    public static void AddEvaluation(int ruleId, long started) => Add(ruleId, Stopwatch.GetTimestamp() - started, 0, 1);

    public static void AddDispatch(int ruleId, long started) => Add(ruleId, 0, Stopwatch.GetTimestamp() - started, 0);

    private static void Add(int ruleId, long evaluate, long dispatch, long count)
    {
        lock (Totals)
        {
            var (e, d, c) = Totals.GetValueOrDefault(ruleId);
            Totals[ruleId] = (e + evaluate, d + dispatch, c + count);
        }
    }

    /// <summary>The totals so far, costliest first, in microseconds; and clears them.</summary>
    public static List<(int RuleId, double EvaluateUs, double DispatchUs, long Evaluations)> Drain()
    {
        lock (Totals)
        {
            var list = Totals
                .Select(kv => (kv.Key, Us(kv.Value.Evaluate), Us(kv.Value.Dispatch), kv.Value.Count))
                .OrderByDescending(t => t.Item2 + t.Item3)
                .ToList();
            Totals.Clear();
            return list;
        }
    }

    private static double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
}
