namespace Portcullis.Incidents;

/// <summary>One line of a report's top list: what (a rule id, a path, "rule variable"), an optional detail (the rule's message), how many incidents.</summary>
internal sealed record ReportCount(string Key, string? Detail, int Count);
