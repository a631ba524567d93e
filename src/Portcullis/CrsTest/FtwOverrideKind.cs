namespace Portcullis.CrsTest;

/// <summary>What an override does to the tests it names.</summary>
internal enum FtwOverrideKind
{
    /// <summary>No <c>output</c>: the test is not run and counts as overridden (go-ftw's "ignored").</summary>
    Ignore,

    /// <summary><c>output</c> replaces the expectations of the named stages; the test runs against those.</summary>
    ReplaceOutput,

    /// <summary>
    /// <c>expect_failure: true</c> (our addition to the format): the test runs unchanged and its failure is known;
    /// should it pass, the report says the override is no longer needed.
    /// </summary>
    ExpectFailure,

    /// <summary>Only <c>retry_once</c>: the expectations stay, a failing stage is run a second time.</summary>
    RetryOnce,
}
