using System.Buffers;

namespace Portcullis.Waf.Transformations;

/// <summary>
/// Which values come out of a transformation pipeline unchanged, known without running it or looking it up: those
/// made only of ASCII characters that trigger none of its steps (<see cref="Transformation.Triggers"/>). Benign
/// values mostly are ("blue", "12345", "price"), so the engine answers "the value itself" with one vectorised test
/// instead of a transformation-cache lookup per value and pipeline.
/// </summary>
internal static class UnchangedValues
{
    /// <summary>The characters safe for every step of <paramref name="pipeline"/>; null when a step does not declare its triggers, or there are no steps.</summary>
    public static SearchValues<char>? SafeCharsFor(Transformation[] pipeline) =>
        SafeSetFor(pipeline) is { } safe ? SearchValues.Create([.. safe]) : null;

    /// <summary>What the engine keeps per pipeline: <see cref="SafeCharsFor"/> and the same as sets; null as for it.</summary>
    public static UnchangedChars? For(Transformation[] pipeline) =>
        SafeSetFor(pipeline) is { } safe
            ? new UnchangedChars(SearchValues.Create([.. safe]), Operators.Prefilter.AsciiChars.Of([.. safe]), ScanSafeMask(pipeline, safe))
            : null;

    /// <summary>
    /// <paramref name="safe"/> plus A-Z when the pipeline's only effect on them is lowercasing: every step that
    /// triggers on A-Z only folds their case (<see cref="Transformation.FoldsCaseOnly"/>) and no step triggers on a-z.
    /// A value made of these characters comes out lowercased, which the case-blind literal scan cannot tell apart.
    /// </summary>
    private static Operators.Prefilter.AsciiChars ScanSafeMask(Transformation[] pipeline, HashSet<char> safe)
    {
        var folding = pipeline.Where(step => step.Triggers!.Any(char.IsAsciiLetterUpper)).ToList();
        var foldsOnly = folding.Count > 0 && folding.All(step => step.FoldsCaseOnly) && Enumerable.Range('a', 26).All(c => safe.Contains((char)c));
        return Operators.Prefilter.AsciiChars.Of([.. foldsOnly ? safe.Union(Enumerable.Range('A', 26).Select(c => (char)c)) : safe]);
    }

    private static HashSet<char>? SafeSetFor(Transformation[] pipeline)
    {
        if (pipeline.Length == 0)
        {
            return null;
        }
        var safe = new bool[128];
        Array.Fill(safe, true);
        foreach (var step in pipeline)
        {
            if (step.Triggers is not { } triggers)
            {
                return null;
            }
            foreach (var c in triggers)
            {
                if (c < safe.Length)
                {
                    safe[c] = false;
                }
            }
        }
        return [.. Enumerable.Range(0, safe.Length).Where(c => safe[c]).Select(c => (char)c)];
    }

    /// <summary>True when <paramref name="value"/> is made only of <paramref name="safe"/> characters, so the pipeline leaves it as it is.</summary>
    public static bool Holds(SearchValues<char> safe, string value) => !value.AsSpan().ContainsAnyExcept(safe);
}
