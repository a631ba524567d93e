namespace Portcullis.Incidents;

/// <summary>One rule match of an <see cref="Incident"/>: the engine's <c>MatchedRule</c>, redacted and bounded.</summary>
internal sealed record IncidentMatch(
    int Id,
    int Phase,
    string? Message,
    string? Data,
    string? Severity,
    IReadOnlyList<string> Tags,
    string Variable,
    string Value,
    string File,
    int Line);
