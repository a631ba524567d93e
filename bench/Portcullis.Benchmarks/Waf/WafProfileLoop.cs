using System.Diagnostics;
using System.Globalization;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// Runs one benign exchange in a loop for a profiler (not a measurement: use the BenchmarkDotNet benchmarks for
/// figures). <c>dotnet-trace collect -- dotnet bin/.../Portcullis.Benchmarks.dll --profile-waf get 20</c>, then
/// <c>dotnet-trace report FILE topN</c>.
/// <para>Environment: <c>PORTCULLIS_PROMOTE_ALL=1</c> gives every regex its twin first (for A/B runs);
/// <c>PORTCULLIS_WARMUP_SECONDS</c> (default 4); <c>PORTCULLIS_WINDOWS=1</c> prints each 1 s window;
/// <c>PORTCULLIS_SWEEP_KB=N</c> touches N KiB of other memory between transactions, as a gateway's TLS, HTTP and
/// proxy work does, and reports the transactions' own time with the caches that cold; <c>PORTCULLIS_IN_FLIGHT=N</c>
/// keeps N transactions open at once, as a gateway with N busy connections does (<see cref="InFlightExchanges"/>).</para>
/// </summary>
internal static class WafProfileLoop
{
    public static void Run(string exchangeName, int seconds, bool allocationTypes = false, bool ruleTimes = false)
    {
        using var sampler = allocationTypes ? new AllocationSampler() : null;
        var loaded = CrsLoader.Load(paranoia: 1);
        Console.WriteLine(loaded.Describe());
        var exchange = exchangeName switch
        {
            "get" or "get-new-ua" => BenignExchanges.SearchPage(),
            "html" => BenignExchanges.SearchPageWithHtmlBody(),
            "wrk" => BenignExchanges.WrkGet(),
            "form" => BenignExchanges.ProfileForm(),
            "json" => BenignExchanges.CheckoutJson(),
            _ => throw new ArgumentException($"unknown exchange '{exchangeName}': use get, get-new-ua, html, wrk, form or json"),
        };
        // get-new-ua: a User-Agent never seen before on every request, as from a new client (the work kept for
        // repeated header values, RepeatedValues, does not apply to it).
        var newClients = exchangeName == "get-new-ua";
        var inFlight = new InFlightExchanges(exchange, loaded.Rules, loaded.EngineMode,
            int.TryParse(Environment.GetEnvironmentVariable("PORTCULLIS_IN_FLIGHT"), CultureInfo.InvariantCulture, out var depth) ? depth : 1);
        var clients = 0;
        if (Environment.GetEnvironmentVariable("PORTCULLIS_PROMOTE_ALL") == "1")
        {
            // For A/B comparisons: every regex gets its twin now, so which ones traffic promoted (and when) cannot
            // make two runs of the same build differ.
            PromoteAll(loaded.Rules);
        }
        // Warm up long enough for tiered JIT and for the hot regexes' NonBacktracking twins (built after ~512 runs each).
        var warmup = Stopwatch.StartNew();
        var warmupSeconds = double.TryParse(Environment.GetEnvironmentVariable("PORTCULLIS_WARMUP_SECONDS"), CultureInfo.InvariantCulture, out var w) ? w : 4;
        while (warmup.Elapsed.TotalSeconds < warmupSeconds)
        {
            exchange.UserAgent = newClients ? NewUserAgent(++clients) : null;
            inFlight.Step();
        }
        if (ruleTimes)
        {
            RunRuleTimes(inFlight, seconds);
            return;
        }
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        sampler?.Start();
        var started = Stopwatch.StartNew();
        long count = 0;
        var windows = Environment.GetEnvironmentVariable("PORTCULLIS_WINDOWS") == "1";
        var window = Stopwatch.StartNew();
        long windowCount = 0;
        var sweep = new byte[1024 * (int.TryParse(Environment.GetEnvironmentVariable("PORTCULLIS_SWEEP_KB"), CultureInfo.InvariantCulture, out var kb) ? kb : 0)];
        long transactionTicks = 0;
        while (started.Elapsed.TotalSeconds < seconds)
        {
            exchange.UserAgent = newClients ? NewUserAgent(++clients) : null;
            var before = Stopwatch.GetTimestamp();
            inFlight.Step();
            transactionTicks += Stopwatch.GetTimestamp() - before;
            for (var i = 0; i < sweep.Length; i += 64)
            {
                sweep[i]++;
            }
            count++;
            if (windows && ++windowCount % 256 == 0 && window.Elapsed.TotalSeconds >= 1)
            {
                // One line per second: shows whether a slow run was slow throughout (the process) or in bursts (the machine).
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  window: {window.Elapsed.TotalMilliseconds * 1000 / windowCount:F1} us"));
                window.Restart();
                windowCount = 0;
            }
        }
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        inFlight.Drain();
        sampler?.Stop();
        if (sweep.Length > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"transactions alone: {Stopwatch.GetElapsedTime(0, transactionTicks).TotalMilliseconds * 1000 / count:F1} us each, {sweep.Length / 1024} KiB touched between them"));
        }
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        // CPU time per transaction is the steadier figure on a busy machine (wall time includes waiting for a core).
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{exchangeName} ({inFlight.Depth} in flight): {started.Elapsed.TotalMilliseconds * 1000 / count:F1} us wall, {cpu.TotalMilliseconds * 1000 / count:F1} us CPU, {allocated / 1024.0 / count:F1} KB allocated per transaction over {count}"));
        // What the run left on the heap: the NonBacktracking twins of hot regexes (RegexTier) and their DFA caches.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"heap retained by the run: {(GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / 1048576.0:F1} MiB; regexes promoted to NonBacktracking: {Portcullis.Waf.Operators.RegexTier.PromotedCount}"));
        sampler?.Print(count);
    }

    /// <summary>
    /// <c>--rules</c>: the loop with every rule timed (<see cref="Portcullis.Waf.Transactions.RuleTimings"/>), then the 30
    /// costliest rules per transaction: the time evaluating them, and the time the dispatch took to answer that they
    /// cannot match (a list's scan is counted on the first rule that asks for it). The timing itself adds ~15 % here.
    /// </summary>
    private static void RunRuleTimes(InFlightExchanges inFlight, int seconds)
    {
        Portcullis.Waf.Transactions.RuleTimings.Drain();
        Portcullis.Waf.Transactions.RuleTimings.Enabled = true;
        var started = Stopwatch.StartNew();
        long count = 0;
        while (started.Elapsed.TotalSeconds < seconds)
        {
            inFlight.Step();
            count++;
        }
        Portcullis.Waf.Transactions.RuleTimings.Enabled = false;
        inFlight.Drain();
        var rules = Portcullis.Waf.Transactions.RuleTimings.Drain();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{started.Elapsed.TotalMilliseconds * 1000 / count:F1} us per transaction over {count}, timed; rules {rules.Sum(r => r.EvaluateUs) / count:F1} us evaluating, {rules.Sum(r => r.DispatchUs) / count:F1} us in the dispatch"));
        Console.WriteLine("   rule   evaluate   dispatch  (us per transaction)");
        foreach (var (id, evaluate, dispatch, _) in rules.Take(30))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{id,7} {evaluate / count,10:F2} {dispatch / count,10:F2}"));
        }
    }

    /// <summary>Chrome's User-Agent with the build number <paramref name="build"/>.</summary>
    internal static string NewUserAgent(int build) => string.Create(CultureInfo.InvariantCulture,
        $"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.{build}.0 Safari/537.36");

    internal static void PromoteAll(Portcullis.Waf.Rules.RuleSet rules)
    {
        foreach (var phase in rules.Phases)
        {
            foreach (var head in phase.Rules)
            {
                for (var rule = head; rule is not null; rule = rule.Next)
                {
                    (rule.Operator as Portcullis.Waf.Operators.RxOperator)?.PromoteNow();
                }
            }
        }
    }
}
