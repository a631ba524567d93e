namespace Portcullis.Waf.Rules;

/// <summary>
/// The rules of one phase in evaluation order, and where each <c>SecMarker</c> falls among them, so
/// <c>skipAfter:MARKER</c> is an array index. ModSecurity v2 places a marker in every phase; so do we.
/// </summary>
internal sealed class PhaseProgram(Rule[] rules, IReadOnlyDictionary<string, int> markers)
{
    public Rule[] Rules { get; } = rules;

    /// <summary>Index of the first rule after the marker (or after the last rule with that id), or -1.</summary>
    public int IndexAfter(string marker) => markers.TryGetValue(marker, out var index) ? index : -1;
}
