using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Portcullis.CrsTest;

/// <summary>
/// The go-ftw run loop (<c>runner.RunTest</c>/<c>RunStage</c>) without its transport: for each test, apply the
/// overrides, then for each stage execute, judge, and retry once when the stage asks for it. A test passes when all its
/// stages pass. The executor sends the stage's request (<see cref="FtwRequestBuilder"/>, <see cref="FtwClient"/>) and
/// returns the response with the log lines the WAF wrote for that request, each in ModSecurity's form
/// (<c>[id "942100"] [msg "..."] [data "..."] [severity "CRITICAL"] [tag "..."]</c>). Unlike go-ftw, which aborts the whole run when a request fails unexpectedly, such a stage just fails.
/// </summary>
internal sealed class FtwRunner
{
    private readonly Func<FtwStage, CancellationToken, Task<(FtwResponse Response, IReadOnlyList<string> LogLines)>> _execute;
    private readonly FtwOverrides _overrides;

    public FtwRunner(Func<FtwStage, CancellationToken, Task<(FtwResponse Response, IReadOnlyList<string> LogLines)>> execute,
        FtwOverrides? overrides = null)
    {
        _execute = execute;
        _overrides = overrides ?? FtwOverrides.None;
    }

    /// <summary>Only tests whose id (<c>rule-test</c>) matches run, as go-ftw's <c>--include</c>.</summary>
    public Regex? Include { get; init; }

    /// <summary>Tests whose id matches are skipped, unless <see cref="Include"/> matches too (go-ftw: inclusion wins).</summary>
    public Regex? Exclude { get; init; }

    public async Task<FtwRunResult> RunAsync(IEnumerable<FtwTest> tests, IProgress<FtwTestResult>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var results = new List<FtwTestResult>();
        foreach (var test in tests.Where(Selected))
        {
            var result = await RunTestAsync(test, cancellationToken);
            results.Add(result);
            progress?.Report(result);
        }
        return new FtwRunResult(results);
    }

    public async Task<FtwTestResult> RunTestAsync(FtwTest original, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var overridden = _overrides.Apply(original);
        var test = overridden.Test;
        var reason = overridden.Override?.Reason;
        if (overridden.Ignored)
        {
            return new FtwTestResult(test.Id, test.File, test.RuleId, test.TestId, FtwOutcome.Overridden, $"ignored: {reason}", [],
                TimeSpan.Zero);
        }
        var stages = new List<FtwStageResult>(test.Stages.Count);
        foreach (var stage in test.Stages)
        {
            var result = await RunStageAsync(stage, retried: false, cancellationToken);
            if (!result.Verdict.Passed && stage.Output.RetryOnce)
            {
                result = await RunStageAsync(stage, retried: true, cancellationToken);
            }
            stages.Add(result);
        }
        var passed = stages.All(s => s.Verdict.Passed);
        var (outcome, note) = (passed, overridden.Override?.Kind) switch
        {
            (true, FtwOverrideKind.ReplaceOutput) => (FtwOutcome.Overridden, $"expectations overridden: {reason}"),
            (true, FtwOverrideKind.ExpectFailure) => (FtwOutcome.Passed, $"passes although an override expects failure; remove it ({reason})"),
            (false, FtwOverrideKind.ExpectFailure) => (FtwOutcome.Overridden, $"known failure: {reason}"),
            (false, FtwOverrideKind.ReplaceOutput) => (FtwOutcome.Failed, $"fails even its overridden expectations ({reason})"),
            (true, _) => (FtwOutcome.Passed, (string?)null),
            (false, _) => (FtwOutcome.Failed, null),
        };
        return new FtwTestResult(test.Id, test.File, test.RuleId, test.TestId, outcome, note, stages,
            Stopwatch.GetElapsedTime(started));
    }

    private async Task<FtwStageResult> RunStageAsync(FtwStage stage, bool retried, CancellationToken cancellationToken)
    {
        FtwResponse response;
        IReadOnlyList<string> logLines;
        try
        {
            (response, logLines) = await _execute(stage, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The executor is the gateway under test; its crash is this stage's failure, not the run's.
            var verdict = new FtwVerdict(false, [$"executor failed: {e.GetType().Name}: {e.Message}"], []);
            return new FtwStageResult(stage.Index, verdict, null, e.Message, retried);
        }
        return new FtwStageResult(stage.Index, FtwJudge.Judge(stage.Output, logLines, response), response.Status,
            response.Error, retried);
    }

    private bool Selected(FtwTest test)
    {
        if (Include?.IsMatch(test.Id) == true)
        {
            return true;
        }
        if (Exclude?.IsMatch(test.Id) == true)
        {
            return false;
        }
        return Include is null;
    }
}
