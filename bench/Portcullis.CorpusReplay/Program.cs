using System.Diagnostics;
using System.Globalization;

namespace Portcullis.CorpusReplay;

/// <summary>
/// Replays the labelled corpus (<c>../shared/attacks</c>) through every target at once and scores each as the
/// corpus README defines, then compares targets pairwise (ours vs ModSecurity per paranoia level).
/// Started by <c>bench/corpus.sh</c>, which also starts the servers.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"corpus-replay: {e.Message}\n{Options.Usage}");
            return 2;
        }

        var corpus = options.Corpus ?? CorpusLocator.Find();
        var entries = CorpusReader.Read(corpus, new Selection(options.Limit, options.Sample, options.Seed, options.Classes, options.Ids));
        List<BuiltRequest> requests;
        try
        {
            requests = entries.Select(e => RequestBuilder.Build(e, options.Host)).ToList();
        }
        catch (InvalidDataException e)
        {
            await Console.Error.WriteLineAsync($"corpus-replay: {e.Message}");
            return 1;
        }

        if (options.Dump is { } id)
        {
            var at = entries.FindIndex(e => e.Id == id);
            if (at < 0)
            {
                await Console.Error.WriteLineAsync($"corpus-replay: no entry '{id}' in {corpus}");
                return 1;
            }

            await using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(requests[at].Bytes);
            return 0;
        }

        var outDir = options.Out ?? Directory.CreateTempSubdirectory("portcullis-corpus.").FullName;
        Directory.CreateDirectory(outDir);
        await Console.Error.WriteLineAsync(Inv($"corpus-replay: {entries.Count} entries from {corpus} to {options.Targets.Count} targets, {options.Concurrency} connections each"));

        var runners = options.Targets.Select(t => new TargetRunner(t, options.Host, options.Concurrency, options.Timeout)).ToList();
        var clock = Stopwatch.StartNew();
        using var done = new CancellationTokenSource();
        var progress = ProgressAsync(runners, entries.Count, clock, done.Token);
        var outcomes = await Task.WhenAll(runners.Select(r => r.RunAsync(requests, CancellationToken.None)));
        await done.CancelAsync();
        await progress;
        var seconds = clock.Elapsed.TotalSeconds;

        var scores = runners.Select((r, i) => TargetScore.Compute(r, entries, outcomes[i])).ToList();
        var comparisons = new List<Comparison>();
        foreach (var (label, ours, theirs) in options.Comparisons)
        {
            var a = runners.FindIndex(r => r.Target.Name == ours);
            var b = runners.FindIndex(r => r.Target.Name == theirs);
            var comparison = Comparison.Compute(label, ours, theirs, entries, outcomes[a], outcomes[b]);
            await File.WriteAllLinesAsync(Path.Combine(outDir, $"disagreements-{label}.tsv"), comparison.Rows.Prepend(Comparison.Header));
            comparisons.Add(comparison);
        }

        await WriteOutcomesAsync(Path.Combine(outDir, "outcomes.tsv"), entries, runners, outcomes);
        var json = JsonReport.Write(entries.Count, seconds, scores, comparisons, outDir);
        await File.WriteAllTextAsync(Path.Combine(outDir, "report.json"), json);
        if (options.Json)
        {
            Console.WriteLine(json);
        }
        else
        {
            TextReport.Write(Console.Out, entries.Count, seconds, scores, comparisons, outDir);
            Console.WriteLine($"reports: {Path.Combine(outDir, "report.json")}, per-entry statuses: {Path.Combine(outDir, "outcomes.tsv")}");
        }

        return 0;
    }

    private static readonly string[] OutcomeColumns = ["id", "malicious", "class", "subclass", "placement"];

    // Every entry's status on every target, for questions the summary does not answer.
    private static async Task WriteOutcomesAsync(string path, List<CorpusEntry> entries, List<TargetRunner> runners, Outcome[][] outcomes)
    {
        var lines = entries.Select((e, i) => string.Join('\t', new[] { e.Id, e.Malicious ? "1" : "0", e.Class, e.Subclass ?? "", e.Placement }
            .Concat(outcomes.Select(o => o[i].ToString()))));
        await File.WriteAllLinesAsync(path, lines.Prepend(string.Join('\t', OutcomeColumns.Concat(runners.Select(r => r.Target.Name)))));
    }

    private static async Task ProgressAsync(List<TargetRunner> runners, int total, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await Console.Error.WriteLineAsync(Inv($"  {clock.Elapsed.TotalSeconds:F0} s: ") + string.Join("  ", runners.Select(r => Inv($"{r.Target.Name} {r.Done}/{total}"))));
            }
        }
        catch (OperationCanceledException)
        {
            // the run finished
        }
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
