namespace Portcullis.Incidents;

/// <summary>
/// One entry of a site's <c>waf.exclusions</c>: these rules stop looking at these targets (or, without targets, stop
/// running) for requests under this path with these methods. <see cref="Reason"/> says what it answers, in one line.
/// </summary>
internal sealed record SuggestedExclusion(
    IReadOnlyList<int> Rules,
    IReadOnlyList<string> Targets,
    string? Path,
    IReadOnlyList<string> Methods,
    string Reason);
