using System.Collections.Frozen;

namespace Portcullis.Waf.Detection;

/// <summary>
/// The set of fingerprints that mean SQL injection (<see cref="SqlFingerprintData"/>). libinjection compares them
/// upper-cased, so 't' (SQL type) and 'T' (T-SQL statement) are not told apart here either.
/// </summary>
internal static class SqlFingerprints
{
    private static readonly FrozenSet<string> Set = SqlFingerprintData.Lines
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Set.GetAlternateLookup<ReadOnlySpan<char>>();

    public static int Count => Set.Count;

    public static bool Contains(ReadOnlySpan<char> fingerprint) => fingerprint.Length > 0 && Lookup.Contains(fingerprint);
}
