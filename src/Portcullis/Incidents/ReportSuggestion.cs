namespace Portcullis.Incidents;

/// <summary>A suggested exclusion for a frequent (rule, target, path) group, for the site whose config it belongs in.</summary>
internal sealed record ReportSuggestion(string Site, int Count, SuggestedExclusion Exclusion);
