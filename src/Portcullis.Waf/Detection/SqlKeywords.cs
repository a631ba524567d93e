namespace Portcullis.Waf.Detection;

/// <summary>The SQL vocabulary (<see cref="SqlKeywordData"/>): words, multi-word phrases and two-char operators.</summary>
internal static class SqlKeywords
{
    /// <summary>Longest entry is under 40 chars; longer words can never match and skip the lookup.</summary>
    public const int MaxLength = 40;

    // Read-only after construction, so concurrent lookups are safe.
    private static readonly Dictionary<string, SqlTokenType> Table = Load();
    private static readonly Dictionary<string, SqlTokenType>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Table.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Case-insensitive lookup; <paramref name="canonical"/> is the stored upper-case spelling.</summary>
    public static bool TryGet(ReadOnlySpan<char> word, out SqlTokenType type, out string canonical)
    {
        if (word.Length is 0 or > MaxLength)
        {
            type = SqlTokenType.None;
            canonical = string.Empty;
            return false;
        }
        return Lookup.TryGetValue(word, out canonical!, out type);
    }

    private static Dictionary<string, SqlTokenType> Load()
    {
        var entries = new Dictionary<string, SqlTokenType>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in SqlKeywordData.Lines.Split('\n'))
        {
            if (line.Length > 2)
            {
                entries[line[2..]] = (SqlTokenType)line[0];
            }
        }
        return entries;
    }
}
