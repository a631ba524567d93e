using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Portcullis.Waf.Rules;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// One WAF transaction of benign traffic through CRS 4.28 at paranoia level 1 in blocking mode, the rule set loaded as
/// the gateway loads it. Every request must pass with no interruption and no score (checked in setup), so this is the
/// pass path: the cost every legitimate request pays.
/// </summary>
[MemoryDiagnoser]
public class WafTransactionBenchmarks
{
    /// <summary>Runs per exchange before the check; the first ones JIT-compile the rule regexes (see <see cref="Setup"/>).</summary>
    private const int WarmUpRuns = 5;

    private RuleSet _rules = null!;
    private RuleEngineMode _mode;
    private WafExchange _get = null!;
    private WafExchange _getNewClient = null!;
    private int _clients;
    private InFlightExchanges _getInFlight = null!;
    private WafExchange _getWithHtml = null!;
    private WafExchange _form = null!;
    private WafExchange _json = null!;
    private long _regexTimeouts;

    [GlobalSetup]
    public void Setup()
    {
        var loaded = CrsLoader.Load(paranoia: 1);
        Console.WriteLine($"// {loaded.Describe()}");
        _rules = loaded.Rules;
        _mode = loaded.EngineMode;
        var exchanges = new (string Name, WafExchange Exchange)[]
        {
            (nameof(BenignGet), BenignExchanges.SearchPage()),
            (nameof(BenignGetHtmlResponseBody), BenignExchanges.SearchPageWithHtmlBody()),
            (nameof(UrlEncodedFormPost), BenignExchanges.ProfileForm()),
            (nameof(JsonPost), BenignExchanges.CheckoutJson()),
        };
        // A fresh rule set's first transactions JIT-compile the Compiled regexes they reach; that can outlast the
        // 200 ms match timeout, and a timed-out negated @rx (920600 on Accept) then matches and blocks a benign
        // request, as a PCRE match-limit error does under a negated operator in ModSecurity v2. Report the cold
        // run, then check and measure warm transactions only.
        foreach (var (name, exchange) in exchanges)
        {
            var started = Stopwatch.GetTimestamp();
            var tx = exchange.Run(_rules, _mode);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// {name} cold: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F1} ms, {tx.RegexTimeouts} regex timeouts, interruption {tx.Interruption?.ToString() ?? "none"}"));
            for (var i = 1; i < WarmUpRuns; i++)
            {
                exchange.Run(_rules, _mode);
            }
        }
        WarmUntilSteady(exchanges.Select(e => e.Exchange).ToArray());
        _get = Checked(exchanges[0].Name, exchanges[0].Exchange);
        _getNewClient = BenignExchanges.SearchPage();
        _getNewClient.UserAgent = NewUserAgent();
        Checked(nameof(BenignGetNewUserAgent), _getNewClient);
        _getInFlight = new InFlightExchanges(_get, _rules, _mode, depth: 32);
        _getWithHtml = Checked(exchanges[1].Name, exchanges[1].Exchange);
        _form = Checked(exchanges[2].Name, exchanges[2].Exchange);
        _json = Checked(exchanges[3].Name, exchanges[3].Exchange);
    }

    /// <summary>
    /// Runs the exchanges until the engine is in its steady state, so that BenchmarkDotNet's iterations all measure the
    /// same thing: the hot regexes get their NonBacktracking twins only after ~512 sampled runs each, built in the
    /// background (<see cref="Portcullis.Waf.Operators.RegexTier"/>); measured before that, a ShortRun's iterations
    /// straddle the switch and its error bars are wider than the means. Done when no twin was promoted or building for
    /// <see cref="QuietSeconds"/>, or after <see cref="MaxWarmSeconds"/>.
    /// </summary>
    private void WarmUntilSteady(WafExchange[] exchanges)
    {
        var clock = Stopwatch.StartNew();
        var promoted = Portcullis.Waf.Operators.RegexTier.PromotedCount;
        var lastChange = 0.0;
        var runs = 0;
        while (clock.Elapsed.TotalSeconds < MaxWarmSeconds)
        {
            foreach (var exchange in exchanges)
            {
                exchange.Run(_rules, _mode);
            }
            runs++;
            var now = Portcullis.Waf.Operators.RegexTier.PromotedCount;
            if (now != promoted || Portcullis.Waf.Operators.RegexTier.Building > 0)
            {
                promoted = now;
                lastChange = clock.Elapsed.TotalSeconds;
            }
            else if (clock.Elapsed.TotalSeconds - lastChange > QuietSeconds)
            {
                break;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// warm-up: {runs} rounds of all exchanges in {clock.Elapsed.TotalSeconds:F1} s, {promoted} regexes promoted to NonBacktracking"));
    }

    private const double QuietSeconds = 3;

    private const double MaxWarmSeconds = 60;

    /// <summary>A timed-out regex would make an invocation measure the timeout, not the engine: say so in the log.</summary>
    [GlobalCleanup]
    public void Cleanup() => Console.WriteLine($"// regex timeouts while measuring: {_regexTimeouts}");

    /// <summary>Phases 1, 2, 3 and 5 of a browser navigation with four query arguments and a cookie header.</summary>
    [Benchmark(Baseline = true)]
    public int BenignGet() => Measure(_get);

    /// <summary>
    /// The benign GET from a client not seen before: its User-Agent (a Chrome build number) differs on every request,
    /// so none of the work kept for repeated header values (<c>RepeatedValues</c>) applies to it, and now and then the
    /// kept strings fill up and start over, as they would under a client rotating its User-Agent.
    /// </summary>
    [Benchmark]
    public int BenignGetNewUserAgent()
    {
        _getNewClient.UserAgent = NewUserAgent();
        return Measure(_getNewClient);
    }

    /// <summary>
    /// The benign GET as a gateway with 32 busy connections runs it: 31 other transactions wait for their upstream
    /// between this one's request phases and its response phases (<see cref="InFlightExchanges"/>). An invocation runs
    /// one request side and one response side.
    /// </summary>
    [Benchmark]
    public void BenignGet32InFlight() => _getInFlight.Step();

    private string NewUserAgent() => WafProfileLoop.NewUserAgent(++_clients);

    /// <summary>The same navigation with its 2 KB HTML response inspected in phase 4.</summary>
    [Benchmark]
    public int BenignGetHtmlResponseBody() => Measure(_getWithHtml);

    /// <summary>A urlencoded form with ten fields.</summary>
    [Benchmark]
    public int UrlEncodedFormPost() => Measure(_form);

    /// <summary>A 2 KB JSON body of nested objects and arrays.</summary>
    [Benchmark]
    public int JsonPost() => Measure(_json);

    private int Measure(WafExchange exchange)
    {
        var tx = exchange.Run(_rules, _mode);
        _regexTimeouts += tx.RegexTimeouts;
        return tx.MatchedRules.Count;
    }

    /// <summary>
    /// Runs the exchange once more and refuses to measure anything but the pass path: a benign request that is
    /// blocked, or that scores, would time a different path (and be a false positive worth its own issue).
    /// </summary>
    private WafExchange Checked(string name, WafExchange exchange)
    {
        var tx = exchange.Run(_rules, _mode);
        var inbound = tx.GetTxVariable("blocking_inbound_anomaly_score") ?? "?";
        var outbound = tx.GetTxVariable("blocking_outbound_anomaly_score") ?? "?";
        var matched = string.Join(' ', tx.MatchedRules.Select(m => m.Id.ToString(CultureInfo.InvariantCulture)));
        var phase4 = exchange.ResponseBody is not null && tx.WantsResponseBody;
        Console.WriteLine($"// {name}: request body {exchange.RequestBody?.Length ?? 0} B, response body {(phase4 ? exchange.ResponseBody!.Length : 0)} B inspected, {tx.MatchedRules.Count} logged rule matches [{matched}], inbound score {inbound}, outbound score {outbound}, {tx.RegexTimeouts} regex timeouts, interruption {tx.Interruption?.ToString() ?? "none"}");
        if (tx.Interruption is not null || tx.MatchedRules.Count > 0 || inbound != "0" || outbound != "0" || tx.RegexTimeouts > 0)
        {
            throw new InvalidOperationException($"{name} is not benign under CRS PL1: interruption {tx.Interruption}, rules [{matched}], scores {inbound}/{outbound}, {tx.RegexTimeouts} regex timeouts");
        }
        if (exchange.ResponseBody is not null && !phase4)
        {
            throw new InvalidOperationException($"{name}: the engine does not want the response body, so phase 4 would not be measured");
        }
        return exchange;
    }
}
