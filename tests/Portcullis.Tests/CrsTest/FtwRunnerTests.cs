using System.Text.RegularExpressions;
using Portcullis.CrsTest;

namespace Portcullis.Tests.CrsTest;

public sealed class FtwRunnerTests
{
    private static readonly FtwResponse Ok = new(200, null, "HTTP/1.1 200 OK\r\n\r\n"u8.ToArray());

    private static FtwTest Test(uint rule, uint id, params FtwOutput[] outputs) =>
        new($"R/{rule}.yaml", rule, id, null, [], [.. outputs.Select((o, i) => new FtwStage(FtwTestIds.Format(rule, id), i, null, new FtwInput(), o))]);

    private static FtwOutput Expect(uint id) => new() { Log = new FtwLogExpectation { ExpectIds = [id] } };

    /// <summary>A fake gateway: logs the rule ids listed for a test id, and counts the stages it ran.</summary>
    private sealed class FakeExecutor(Dictionary<string, Queue<string[]>> logs)
    {
        public List<string> Calls { get; } = [];

        public Task<(FtwResponse Response, IReadOnlyList<string> LogLines)> ExecuteAsync(FtwStage stage, CancellationToken token)
        {
            Calls.Add($"{stage.TestId}/{stage.Index}");
            var ids = logs.TryGetValue(stage.TestId, out var queue) && queue.Count > 0 ? queue.Dequeue() : [];
            IReadOnlyList<string> lines = [.. ids.Select(id => $"[id \"{id}\"] [msg \"m\"] [severity \"CRITICAL\"]")];
            return Task.FromResult((Ok, lines));
        }
    }

    private static FakeExecutor Fake(params (string Test, string[] Ids)[] runs)
    {
        var logs = new Dictionary<string, Queue<string[]>>();
        foreach (var (test, ids) in runs)
        {
            if (!logs.TryGetValue(test, out var queue))
            {
                logs[test] = queue = new Queue<string[]>();
            }
            queue.Enqueue(ids);
        }
        return new FakeExecutor(logs);
    }

    [Fact]
    public async Task RunAsync_PassingAndFailingTests_CountsEach()
    {
        var fake = Fake(("1-1", ["1"]), ("1-2", ["9"]));
        var runner = new FtwRunner(fake.ExecuteAsync);

        var result = await runner.RunAsync([Test(1, 1, Expect(1)), Test(1, 2, Expect(1))]);

        Assert.Equal((1, 1, 0, 2), (result.Passed, result.Failed, result.Overridden, result.Total));
        Assert.Equal(["stage 0: expected id(s) not logged: 1"], result.Tests[1].FailureReasons);
    }

    [Fact]
    public async Task RunAsync_OneStageFails_TestFailsAndLaterStagesStillRun()
    {
        var fake = Fake(("1-1", []), ("1-1", ["1"]));

        var result = await new FtwRunner(fake.ExecuteAsync).RunAsync([Test(1, 1, Expect(1), Expect(1))]);

        Assert.Equal(FtwOutcome.Failed, result.Tests[0].Outcome);
        Assert.Equal(["1-1/0", "1-1/1"], fake.Calls);
        Assert.Equal([false, true], result.Tests[0].Stages.Select(s => s.Verdict.Passed));
    }

    [Fact]
    public async Task RunAsync_RetryOnce_RunsAFailingStageASecondTime()
    {
        var fake = Fake(("1-1", []), ("1-1", ["1"]));

        var result = await new FtwRunner(fake.ExecuteAsync).RunAsync([Test(1, 1, Expect(1) with { RetryOnce = true })]);

        Assert.Equal(FtwOutcome.Passed, result.Tests[0].Outcome);
        Assert.True(result.Tests[0].Stages[0].Retried);
        Assert.Equal(2, fake.Calls.Count);
    }

    [Fact]
    public async Task RunAsync_Overrides_IgnoreReplaceAndExpectFailure()
    {
        var overrides = FtwOverrides.Parse("""
            test_overrides:
              - { rule_id: 1, test_ids: [1], reason: not reachable }
              - { rule_id: 1, test_ids: [2], reason: Kestrel answers 400, output: { status: 200, log: { no_expect_ids: [1] } } }
              - { rule_id: 1, test_ids: [3], reason: known gap, expect_failure: true }
              - { rule_id: 1, test_ids: [4], reason: fixed meanwhile, expect_failure: true }
              - { rule_id: 1, test_ids: [5], reason: wrong override, output: { log: { expect_ids: [7] } } }
            """, "o.yaml");
        var fake = Fake(("1-4", ["1"]));
        var runner = new FtwRunner(fake.ExecuteAsync, overrides);

        var result = await runner.RunAsync([.. Enumerable.Range(1, 5).Select(i => Test(1, (uint)i, Expect(1)))]);

        Assert.Equal([FtwOutcome.Overridden, FtwOutcome.Overridden, FtwOutcome.Overridden, FtwOutcome.Passed, FtwOutcome.Failed],
            result.Tests.Select(t => t.Outcome));
        Assert.DoesNotContain("1-1/0", fake.Calls);
        Assert.Equal("ignored: not reachable", result.Tests[0].Note);
        Assert.Contains("remove it", result.Tests[3].Note, StringComparison.Ordinal);
        Assert.Equal((1, 1, 3, 5), (result.Passed, result.Failed, result.Overridden, result.Total));
    }

    [Fact]
    public async Task RunAsync_ExecutorThrows_StageFailsAndRunContinues()
    {
        var calls = 0;
        var runner = new FtwRunner((stage, _) => ++calls == 1
            ? throw new InvalidOperationException("gateway down")
            : Task.FromResult((Ok, (IReadOnlyList<string>)["[id \"1\"]"])));

        var result = await runner.RunAsync([Test(1, 1, Expect(1)), Test(1, 2, Expect(1))]);

        Assert.Equal([FtwOutcome.Failed, FtwOutcome.Passed], result.Tests.Select(t => t.Outcome));
        Assert.Contains("gateway down", result.Tests[0].FailureReasons.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        var runner = new FtwRunner((_, token) =>
        {
            cts.Cancel();
            token.ThrowIfCancellationRequested();
            return Task.FromResult((Ok, (IReadOnlyList<string>)[]));
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync([Test(1, 1, Expect(1))], null, cts.Token));
    }

    [Fact]
    public async Task RunAsync_IncludeAndExclude_SelectByGoFtwId()
    {
        var fake = Fake();
        var runner = new FtwRunner(fake.ExecuteAsync) { Include = new Regex("^920"), Exclude = new Regex("-2$") };

        var result = await runner.RunAsync([Test(920100, 1, new FtwOutput()), Test(920100, 2, new FtwOutput()), Test(930100, 1, new FtwOutput())]);

        Assert.Equal(["920100-1", "920100-2"], result.Tests.Select(t => t.Id));
    }
}
