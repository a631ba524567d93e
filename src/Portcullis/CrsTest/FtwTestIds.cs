using System.Globalization;

namespace Portcullis.CrsTest;

/// <summary>go-ftw names a test <c>&lt;rule_id&gt;-&lt;test_id&gt;</c> (<c>Test.IdString</c>).</summary>
internal static class FtwTestIds
{
    public static string Format(uint ruleId, uint testId) =>
        string.Create(CultureInfo.InvariantCulture, $"{ruleId}-{testId}");
}
