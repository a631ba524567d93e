using System.Globalization;

namespace Portcullis.CorpusReplay;

/// <summary>Command-line options; see <see cref="Usage"/>.</summary>
internal sealed record Options
{
    public const string Usage = """
        usage: corpus-replay --target NAME=URL... [--compare LABEL=OURS,THEIRS]... [options]
          --corpus DIR        corpus folder (default: the nearest ../shared/attacks above the current folder)
          --target NAME=URL   a server to replay against (https:// or http://, loopback only); repeatable
          --compare L=A,B     report agreement of target A (ours) with target B (reference) under label L; repeatable
          --limit N           only the first N entries of each file
          --sample N          a seeded random N entries of each file (--seed, default 1)
          --class C[,C...]    only these classes or file names (e.g. sqli, benign, benign_synthetic); repeatable
          --id ID[,ID...]     only these entries (e.g. the ids of a disagreement list); repeatable
          --concurrency N     connections per target (default 16)
          --timeout S         seconds per request before it counts as an error (default 20)
          --host NAME         Host header and TLS server name sent (default localhost)
          --out DIR           where report.json and the disagreement lists go (default: a new /tmp folder)
          --json              print the JSON report instead of the text report
          --dump ID           print the request built for entry ID (as sent) and exit
        """;

    public string? Corpus { get; private init; }

    public List<Target> Targets { get; } = [];

    public List<(string Label, string Ours, string Theirs)> Comparisons { get; } = [];

    public int? Limit { get; private init; }

    public int? Sample { get; private init; }

    public int Seed { get; private init; } = 1;

    public HashSet<string> Classes { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Ids { get; } = new(StringComparer.Ordinal);

    public int Concurrency { get; private init; } = 16;

    public TimeSpan Timeout { get; private init; } = TimeSpan.FromSeconds(20);

    public string Host { get; private init; } = "localhost";

    public string? Out { get; private init; }

    public bool Json { get; private init; }

    public string? Dump { get; private init; }

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            string Next() => value is null ? throw new ArgumentException($"{args[i]} needs a value") : args[++i];
            options = args[i] switch
            {
                "--corpus" => options with { Corpus = Next() },
                "--target" => options.With(o => o.Targets.Add(Target.Parse(Next()))),
                "--compare" => options.With(o => o.Comparisons.Add(ParseComparison(Next()))),
                "--limit" => options with { Limit = Positive(args[i], Next()) },
                "--sample" => options with { Sample = Positive(args[i], Next()) },
                "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--class" => options.With(o => o.Classes.UnionWith(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))),
                "--id" => options.With(o => o.Ids.UnionWith(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))),
                "--concurrency" => options with { Concurrency = Positive(args[i], Next()) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Positive(args[i], Next())) },
                "--host" => options with { Host = Next() },
                "--out" => options with { Out = Next() },
                "--json" => options with { Json = true },
                "--dump" => options with { Dump = Next() },
                _ => throw new ArgumentException($"unknown option '{args[i]}'"),
            };
        }

        if (options.Targets.Count == 0 && options.Dump is null)
        {
            throw new ArgumentException("give at least one --target");
        }

        foreach (var (label, ours, theirs) in options.Comparisons)
        {
            if (!options.Targets.Any(t => t.Name == ours) || !options.Targets.Any(t => t.Name == theirs))
            {
                throw new ArgumentException($"--compare {label}: '{ours}' and '{theirs}' must both be --target names");
            }
        }

        return options;
    }

    // Records copy their collections by reference, so With keeps one set of lists across `with` copies.
    private Options With(Action<Options> change)
    {
        change(this);
        return this;
    }

    private static (string, string, string) ParseComparison(string spec)
    {
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        var names = eq > 0 ? spec[(eq + 1)..].Split(',') : [];
        return names.Length == 2 ? (spec[..eq], names[0], names[1])
            : throw new ArgumentException($"--compare '{spec}': write LABEL=OURS,THEIRS");
    }

    private static int Positive(string option, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new ArgumentException($"{option} needs a positive number, not '{text}'");
}
