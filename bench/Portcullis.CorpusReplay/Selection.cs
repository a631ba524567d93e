namespace Portcullis.CorpusReplay;

/// <summary>Which entries of each file to replay: all, the first <see cref="Limit"/>, or a seeded random
/// <see cref="Sample"/> (the same entries on every run with the same seed, so quick runs are comparable), after
/// keeping only the entries of <see cref="Classes"/> and <see cref="Ids"/> when those are given.</summary>
internal sealed record Selection(int? Limit, int? Sample, int Seed, IReadOnlySet<string> Classes, IReadOnlySet<string> Ids)
{
    public bool Keeps(CorpusEntry entry) =>
        (Classes.Count == 0 || Classes.Contains(entry.Class) || Classes.Contains(entry.File)) && (Ids.Count == 0 || Ids.Contains(entry.Id));

    public IEnumerable<CorpusEntry> Apply(List<CorpusEntry> entries, string file)
    {
        if (Sample is int sample && sample < entries.Count)
        {
            // Seed mixed with the file name so two files of equal size do not pick the same line numbers.
            var random = new Random(unchecked((Seed * 397) ^ StableHash(file)));
            return entries.Select(e => (Key: random.Next(), Entry: e))
                .OrderBy(p => p.Key).Take(sample).Select(p => p.Entry)
                .OrderBy(e => e.Id, StringComparer.Ordinal);
        }

        return Limit is int limit ? entries.Take(limit) : entries;
    }

    // string.GetHashCode and HashCode.Combine are randomised per process; a sample must not be.
    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
