namespace Portcullis.CrsTest;

/// <summary>How a test ended up in the report.</summary>
internal enum FtwOutcome
{
    Passed,

    Failed,

    /// <summary>Ignored by an override, passed against overridden expectations, or failed as an override expected.</summary>
    Overridden,
}
