using Portcullis.CrsTest;

namespace Portcullis.Tests.CrsTest;

public sealed class FtwJudgeTests
{
    private static readonly FtwResponse Ok = new(200, null, "HTTP/1.1 200 OK\r\n\r\n"u8.ToArray()) { RawBody = "hello world"u8.ToArray() };

    private static readonly string[] Logs =
    [
        """[id "942100"] [msg "SQL Injection Attack Detected via libinjection"] [data "Matched Data: s&sos found within ARGS:id: 1' or 1=1"] [severity "CRITICAL"] [tag "attack-sqli"]""",
        """[id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 5)"] [severity "CRITICAL"]""",
        """{"transaction": {"messages": [{"details": {"id": "920350"}}, {"id": 913100}]}}""",
    ];

    private static FtwOutput Log(uint[]? expect = null, uint[]? noExpect = null, string? match = null, string? noMatch = null) =>
        new() { Log = new FtwLogExpectation { ExpectIds = expect ?? [], NoExpectIds = noExpect ?? [], MatchRegex = match, NoMatchRegex = noMatch } };

    private static readonly Dictionary<string, (FtwOutput Expected, bool Passes)> Table = new()
    {
        ["nothing expected"] = (new FtwOutput(), true),
        ["expected id logged"] = (Log(expect: [942100]), true),
        ["all expected ids logged"] = (Log(expect: [942100, 949110]), true),
        ["id from JSON log"] = (Log(expect: [920350, 913100]), true),
        ["expected id missing"] = (Log(expect: [942100, 941100]), false),
        ["forbidden id absent"] = (Log(noExpect: [941100]), true),
        ["forbidden id logged"] = (Log(noExpect: [941100, 949110]), false),
        ["id is a prefix only"] = (Log(expect: [94210]), false),
        ["match_regex found"] = (Log(match: "found within ARGS:id:"), true),
        ["match_regex missing"] = (Log(match: "found within ARGS:x"), false),
        ["match_regex spans one line only"] = (Log(match: "attack-sqli.*949110"), false),
        ["no_match_regex clean"] = (Log(noMatch: @"\[id ""941\d+""\]"), true),
        ["no_match_regex hit"] = (Log(noMatch: @"\[id ""\d+""\]"), false),
        ["status matches"] = (new FtwOutput { Status = [200] }, true),
        ["status one of list"] = (new FtwOutput { Status = [403, 200] }, true),
        ["status differs"] = (new FtwOutput { Status = [403] }, false),
        ["response_contains regex in body"] = (new FtwOutput { ResponseContains = "hel+o w" }, true),
        ["response_contains in head"] = (new FtwOutput { ResponseContains = "^HTTP/1\\.1 200" }, true),
        ["response_contains absent"] = (new FtwOutput { ResponseContains = "goodbye" }, false),
        ["error expected but response"] = (new FtwOutput { ExpectError = true }, false),
        ["isolated with three rules"] = (new FtwOutput { Isolated = true, Log = new FtwLogExpectation { ExpectIds = [942100] } }, false),
    };

    public static TheoryData<string> Scenarios => [.. Table.Keys];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Judge_Expectation_PassesAsGoFtw(string scenario)
    {
        var (expected, passes) = Table[scenario];
        var verdict = FtwJudge.Judge(expected, Logs, Ok);

        Assert.True(passes == verdict.Passed, $"{scenario}: {verdict}");
        Assert.Equal(passes, verdict.Reasons.Count == 0);
    }

    [Fact]
    public void Judge_ErrorExpectedAndErrorHappened_PassesWithoutOtherChecks()
    {
        var verdict = FtwJudge.Judge(new FtwOutput { ExpectError = true, Status = [200], Log = new FtwLogExpectation { ExpectIds = [1] } },
            [], FtwResponse.Failed("unexpected EOF"));

        Assert.True(verdict.Passed);
    }

    [Fact]
    public void Judge_UnexpectedError_FailsNamingTheError()
    {
        var verdict = FtwJudge.Judge(new FtwOutput(), Logs, FtwResponse.Failed("connect: refused"));

        Assert.False(verdict.Passed);
        Assert.Equal(["unexpected error: connect: refused"], verdict.Reasons);
    }

    [Fact]
    public void Judge_SeveralChecksFail_ReportsEachAndTheTriggeredIds()
    {
        var expected = new FtwOutput { Status = [403], Log = new FtwLogExpectation { ExpectIds = [941100], NoExpectIds = [942100] } };

        var verdict = FtwJudge.Judge(expected, Logs, Ok);

        Assert.Equal(3, verdict.Reasons.Count);
        Assert.Equal([942100u, 949110u, 920350u, 913100u], verdict.TriggeredIds);
    }
}
