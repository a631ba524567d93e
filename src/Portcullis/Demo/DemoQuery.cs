using System.Globalization;

namespace Portcullis.Demo;

/// <summary>Reads the demo's small numeric query parameters (<c>?ms=</c>, <c>?mb=</c>).</summary>
internal static class DemoQuery
{
    /// <summary>
    /// Reads <paramref name="name"/> as a non-negative integer, clamped to <paramref name="max"/>; absent means
    /// <paramref name="defaultValue"/>. False when the value is present but not a non-negative integer.
    /// </summary>
    public static bool TryGetClampedInt(HttpRequest request, string name, int defaultValue, int max, out int value)
    {
        var raw = request.Query[name];
        if (raw.Count == 0)
        {
            value = defaultValue;
            return true;
        }

        // Parsed as a long so a big number is clamped to the cap rather than rejected as malformed.
        if (raw.Count == 1 && long.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = (int)Math.Min(parsed, max);
            return true;
        }

        value = 0;
        return false;
    }
}
