using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// One <c>@rx</c> regex that starts on .NET's backtracking interpreter (cheap to build, small) and, once traffic
/// shows it is both hot and slow, gets a <see cref="RegexOptions.NonBacktracking"/> twin built in the background.
/// The twin decides match / no match from then on: it accepts exactly the same strings (same pattern, regular
/// constructs only: patterns with lookarounds or backreferences are refused by the engine and stay interpreted), in
/// time linear in the value. With <c>capture</c>, a match found by the twin is re-run on the interpreter for the
/// groups, so TX:0-9 are what PCRE would capture.
/// <para>
/// Why tiered: CRS's costliest patterns (the command-injection lists with their evasion gaps, the XSS attribute
/// list, SQL function lists) take 3-10 µs per short value on the interpreter and 0.1-0.3 µs on NonBacktracking
/// (docs/benchmarks.md). Building every pattern that way costs seconds at load and hundreds of MiB (measured: the
/// rule set grew from 9 to 285 MiB), while a dozen patterns carry most of the regex time of real traffic.
/// </para>
/// </summary>
internal sealed class RegexTier(Regex interpreted)
{
    /// <summary>Every this many runs one is timed (a clock read costs ~20 ns; the regexes cost µs).</summary>
    private const int SampleEvery = 32;

    /// <summary>Samples taken before deciding.</summary>
    private const int SamplesToDecide = 16;

    /// <summary>Mean interpreted run time above which the NonBacktracking twin is built.</summary>
    private static readonly double PromoteAboveTicks = Stopwatch.Frequency / 1_000_000.0 * 1.0;

    /// <summary>
    /// Twins in the whole process at most. A twin of a large pattern costs ~1 MiB once built (more as its DFA cache
    /// fills, up to the engine's own cap), so this bounds the memory hostile traffic can make the WAF spend on them:
    /// the regexes that get hot first get twins, the rest stay interpreted.
    /// </summary>
    public const int MaxPromoted = 64;

    private static int s_promoted;
    private static int s_building;

    private Regex? _promoted;
    private int _runs;
    private int _samples;
    private long _sampledTicks;
    private int _state; // 0 measuring, 1 building or built, 2 not possible

    public Regex Interpreted { get; } = interpreted;

    /// <summary>Twins built or being built in this process (see <see cref="MaxPromoted"/>).</summary>
    public static int PromotedCount => Math.Min(Volatile.Read(ref s_promoted), MaxPromoted);

    /// <summary>Twins being built in the background right now (benchmarks wait for them before measuring).</summary>
    public static int Building => Volatile.Read(ref s_building);

    /// <summary>The NonBacktracking twin once built, else null.</summary>
    public Regex? Promoted => Volatile.Read(ref _promoted);

    /// <summary>True when the value matches. A <see cref="RegexMatchTimeoutException"/> escapes, as from the regex itself.</summary>
    public bool IsMatch(string input)
    {
        if (Volatile.Read(ref _promoted) is { } fast)
        {
            return fast.IsMatch(input);
        }
        if (_state != 0 || Interlocked.Increment(ref _runs) % SampleEvery != 0)
        {
            return Interpreted.IsMatch(input);
        }
        var started = Stopwatch.GetTimestamp();
        var matched = Interpreted.IsMatch(input);
        Sample(Stopwatch.GetTimestamp() - started);
        return matched;
    }

    /// <summary>The interpreter's match (for captures), skipped when the twin already knows there is none.</summary>
    public Match? MatchWithGroups(string input)
    {
        if (Volatile.Read(ref _promoted) is { } fast && !fast.IsMatch(input))
        {
            return null;
        }
        if (_state == 0 && Interlocked.Increment(ref _runs) % SampleEvery == 0)
        {
            var started = Stopwatch.GetTimestamp();
            var sampled = Interpreted.Match(input);
            Sample(Stopwatch.GetTimestamp() - started);
            return sampled.Success ? sampled : null;
        }
        var match = Interpreted.Match(input);
        return match.Success ? match : null;
    }

    /// <summary>Builds the twin now (tests and benchmarks that want the steady state). False when the engine refuses the pattern.</summary>
    public bool PromoteNow()
    {
        if (Promoted is not null)
        {
            return true;
        }
        Interlocked.Exchange(ref _state, 1);
        return Build();
    }

    private void Sample(long ticks)
    {
        var samples = Interlocked.Increment(ref _samples);
        var total = Interlocked.Add(ref _sampledTicks, ticks);
        if (samples < SamplesToDecide)
        {
            return;
        }
        if (total / (double)samples < PromoteAboveTicks)
        {
            // Cheap enough: measure again later (traffic changes), starting over.
            Interlocked.Exchange(ref _samples, 0);
            Interlocked.Exchange(ref _sampledTicks, 0);
            return;
        }
        if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
        {
            if (Interlocked.Increment(ref s_promoted) > MaxPromoted)
            {
                Volatile.Write(ref _state, 2);
                return;
            }
            // Building takes tens of ms for the large patterns: never on a request thread.
            Interlocked.Increment(ref s_building);
            _ = Task.Run(() =>
            {
                try
                {
                    Build();
                }
                finally
                {
                    Interlocked.Decrement(ref s_building);
                }
            });
        }
    }

    private bool Build()
    {
        try
        {
            var twin = new Regex(Interpreted.ToString(), Interpreted.Options | RegexOptions.NonBacktracking, Interpreted.MatchTimeout);
            Volatile.Write(ref _promoted, twin);
            return true;
        }
        catch (NotSupportedException)
        {
            // Lookarounds, backreferences, atomic groups: this pattern stays on the interpreter.
            Volatile.Write(ref _state, 2);
            return false;
        }
    }
}
