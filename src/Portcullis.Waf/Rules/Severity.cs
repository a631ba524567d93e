namespace Portcullis.Waf.Rules;

/// <summary>Syslog severities as SecLang's <c>severity</c> action names them (by name or 0-7).</summary>
internal static class Severity
{
    private static readonly string[] Names = ["EMERGENCY", "ALERT", "CRITICAL", "ERROR", "WARNING", "NOTICE", "INFO", "DEBUG"];

    public static bool TryParse(string text, out int severity)
    {
        if (int.TryParse(text, out severity) && severity is >= 0 and <= 7)
        {
            return true;
        }
        severity = Array.FindIndex(Names, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
        return severity >= 0;
    }

    public static string NameOf(int severity) => severity is >= 0 and <= 7 ? Names[severity] : severity.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
