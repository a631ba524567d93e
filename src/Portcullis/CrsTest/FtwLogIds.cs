using System.Globalization;
using System.Text.RegularExpressions;

namespace Portcullis.CrsTest;

/// <summary>
/// The rule ids a set of log lines shows, found as go-ftw finds them (<c>waflog.TriggeredRules</c>): every
/// <c>[id "N"]</c> (ModSecurity's error-log form, which our engine writes) and every JSON <c>"id": N</c> or
/// <c>"id": "N"</c>, in any line, each id once, in order of first appearance.
/// </summary>
internal static partial class FtwLogIds
{
    public static IReadOnlyList<uint> Find(IEnumerable<string> logLines)
    {
        var ids = new List<uint>();
        foreach (var line in logLines)
        {
            foreach (Match match in IdPattern().Matches(line))
            {
                var digits = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
                // go-ftw skips a number too large for its uint, as we do for ours.
                if (uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !ids.Contains(id))
                {
                    ids.Add(id);
                }
            }
        }
        return ids;
    }

    [GeneratedRegex("""\[id "([0-9]+)"\]|"id":[\t\n\f\r ]*"?([0-9]+)"?""", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
