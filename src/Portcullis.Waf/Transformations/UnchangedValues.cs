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
    public static SearchValues<char>? SafeCharsFor(Transformation[] pipeline)
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
        return SearchValues.Create([.. Enumerable.Range(0, safe.Length).Where(c => safe[c]).Select(c => (char)c)]);
    }

    /// <summary>True when <paramref name="value"/> is made only of <paramref name="safe"/> characters, so the pipeline leaves it as it is.</summary>
    public static bool Holds(SearchValues<char> safe, string value) => !value.AsSpan().ContainsAnyExcept(safe);
}
