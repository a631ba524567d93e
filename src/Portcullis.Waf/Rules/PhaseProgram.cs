namespace Portcullis.Waf.Rules;

/// <summary>
/// The rules of one phase in evaluation order, and where each <c>SecMarker</c> falls among them, so
/// <c>skipAfter:MARKER</c> is an array index. ModSecurity v2 places a marker in every phase; so do we.
/// </summary>
internal sealed class PhaseProgram
{
    private readonly IReadOnlyDictionary<string, int> _markers;

    public PhaseProgram(Rule[] rules, IReadOnlyDictionary<string, int> markers)
    {
        Rules = rules;
        _markers = markers;
        // Resolved once here, not per match: CRS's paranoia gates jump on nearly every request.
        SkipTargets = [.. rules.Select(rule => rule.SkipAfter is { } marker ? IndexAfter(marker) : -1)];
    }

    public Rule[] Rules { get; }

    /// <summary>Per rule, <see cref="IndexAfter"/> of its <c>skipAfter</c> marker (-1 without one).</summary>
    public int[] SkipTargets { get; }

    /// <summary>Index of the first rule after the marker (or after the last rule with that id), or -1.</summary>
    public int IndexAfter(string marker) => _markers.TryGetValue(marker, out var index) ? index : -1;
}
