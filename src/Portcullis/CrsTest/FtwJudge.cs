using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portcullis.CrsTest;

/// <summary>
/// Judges one stage with go-ftw's semantics (<c>runner.checkResult</c> and the <c>check_*.go</c> assertions):
/// <list type="number">
/// <item><c>expect_error</c>: the stage passes exactly when the request ended in an error; nothing else is checked.</item>
/// <item>An error that was not expected fails the stage; nothing else is checked.</item>
/// <item><c>status</c>: the response status must be one of the expected (none listed: not checked).</item>
/// <item><c>response_contains</c>: a regular expression the raw response must match.</item>
/// <item>The log: <c>match_regex</c> must match some line, every <c>expect_ids</c> id must appear,
/// <c>no_match_regex</c> must match no line, no <c>no_expect_ids</c> id may appear; with <c>isolated</c> exactly one
/// rule may be logged (go-ftw lets the isolated count replace the other log checks; we keep all of them).</item>
/// </list>
/// Unlike go-ftw, which stops at the first failed check, every failed check is reported; pass or fail is the same.
/// </summary>
internal static class FtwJudge
{
    public static FtwVerdict Judge(FtwOutput expected, IReadOnlyList<string> logLines, FtwResponse response)
    {
        var triggered = FtwLogIds.Find(logLines);
        var reasons = new List<string>();
        if (expected.ExpectError)
        {
            if (response.Error is null)
            {
                reasons.Add(Invariant($"expected an error, got status {response.Status}"));
            }
            return new FtwVerdict(reasons.Count == 0, reasons, triggered);
        }
        if (response.Error is not null)
        {
            reasons.Add($"unexpected error: {response.Error}");
            return new FtwVerdict(false, reasons, triggered);
        }
        if (expected.Status.Count > 0 && (response.Status is not { } status || !expected.Status.Contains(status)))
        {
            reasons.Add(Invariant($"status {response.Status}, expected {string.Join(" or ", expected.Status)}"));
        }
        if (expected.ResponseContains is { } needle && !Matches(needle, Encoding.Latin1.GetString([.. response.RawHead, .. response.RawBody])))
        {
            reasons.Add($"response does not match response_contains '{needle}'");
        }
        var log = expected.Log;
        if (log.MatchRegex is { } match && !logLines.Any(line => Matches(match, line)))
        {
            reasons.Add($"no log line matches match_regex '{match}'");
        }
        var missing = log.ExpectIds.Where(id => !triggered.Contains(id)).ToList();
        if (missing.Count > 0)
        {
            reasons.Add(Invariant($"expected id(s) not logged: {string.Join(", ", missing)}"));
        }
        if (log.NoMatchRegex is { } noMatch && logLines.FirstOrDefault(line => Matches(noMatch, line)) is { } offending)
        {
            reasons.Add($"a log line matches no_match_regex '{noMatch}': {Shorten(offending)}");
        }
        var forbidden = log.NoExpectIds.Where(triggered.Contains).ToList();
        if (forbidden.Count > 0)
        {
            reasons.Add(Invariant($"unexpected id(s) logged: {string.Join(", ", forbidden)}"));
        }
        if (expected.Isolated && triggered.Count != 1)
        {
            reasons.Add(Invariant($"isolated test logged {triggered.Count} rules: {string.Join(", ", triggered)}"));
        }
        return new FtwVerdict(reasons.Count == 0, reasons, triggered);
    }

    private static bool Matches(string pattern, string text)
    {
        try
        {
            return FtwRegexCache.Get(pattern).IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "...";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
