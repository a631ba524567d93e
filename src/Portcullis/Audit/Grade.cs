namespace Portcullis.Audit;

/// <summary>
/// A grade with how it was reached: the SSL Labs style TLS grade (A+ … F, T, M) or the HTTP Observatory style header
/// grade (A+ … F). <see cref="Reasons"/> lists every cap and warning (or score modifier) applied, in words.
/// </summary>
/// <param name="Letter">A+, A, A-, B, C, D, E, F, T (not trusted), M (name mismatch).</param>
/// <param name="Score">0–100 numeric score behind the letter.</param>
/// <param name="Parts">Named sub-scores (protocol, key exchange, cipher strength; or one per Observatory test).</param>
internal sealed record Grade(string Letter, int Score, IReadOnlyDictionary<string, int> Parts, IReadOnlyList<string> Reasons)
{
    /// <summary>Best first; T and M rank with F for <c>--fail-under</c>.</summary>
    public static readonly IReadOnlyList<string> Order = ["A+", "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "E", "F", "T", "M"];

    /// <summary>True when this grade is at least <paramref name="minimum"/> (both from <see cref="Order"/>).</summary>
    public bool AtLeast(string minimum)
    {
        var mine = Order.ToList().IndexOf(Letter);
        var wanted = Order.ToList().IndexOf(minimum);
        if (wanted < 0)
        {
            throw new ArgumentException($"unknown grade '{minimum}'; use one of {string.Join(", ", Order)}", nameof(minimum));
        }
        return mine >= 0 && mine <= wanted && Letter is not ("T" or "M");
    }
}
