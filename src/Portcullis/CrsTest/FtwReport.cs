using System.Globalization;
using System.Text;

namespace Portcullis.CrsTest;

/// <summary>
/// The human report of a run: one row per test file (passed, failed, overridden), the failures with their reasons,
/// and the summary line CI parses, exactly <c>crs-test: passed=N failed=M overridden=K total=T</c>.
/// </summary>
internal static class FtwReport
{
    public static string SummaryLine(FtwRunResult result) =>
        string.Create(CultureInfo.InvariantCulture,
            $"crs-test: passed={result.Passed} failed={result.Failed} overridden={result.Overridden} total={result.Total}");

    public static string Render(FtwRunResult result)
    {
        var rows = result.Tests.GroupBy(t => t.File, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (File: g.Key, Passed: Count(g, FtwOutcome.Passed), Failed: Count(g, FtwOutcome.Failed),
                Overridden: Count(g, FtwOutcome.Overridden)))
            .ToList();
        var width = Math.Max("file".Length, rows.Count == 0 ? 0 : rows.Max(r => r.File.Length));
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"file".PadRight(width)}  {"passed",6}  {"failed",6}  {"overridden",10}\n");
        foreach (var row in rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{row.File.PadRight(width)}  {row.Passed,6}  {row.Failed,6}  {row.Overridden,10}\n");
        }
        var failures = result.Tests.Where(t => t.Outcome == FtwOutcome.Failed).ToList();
        if (failures.Count > 0)
        {
            text.Append('\n').Append("failed tests:\n");
            foreach (var test in failures)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {test.Id} ({test.File}): {string.Join("; ", test.FailureReasons)}");
                text.Append(test.Note is null ? "\n" : $" [{test.Note}]\n");
            }
        }
        text.Append(SummaryLine(result)).Append('\n');
        return text.ToString();
    }

    private static int Count(IEnumerable<FtwTestResult> tests, FtwOutcome outcome) => tests.Count(t => t.Outcome == outcome);
}
