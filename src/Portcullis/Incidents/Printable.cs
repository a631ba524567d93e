using System.Text;

namespace Portcullis.Incidents;

/// <summary>
/// Makes attacker-controlled bytes safe to print on a terminal or in a YAML comment: anything outside printable
/// ASCII becomes <c>\xHH</c> (as ModSecurity's log_escape writes it), so a value cannot move the cursor, recolour the
/// screen or start a new line that looks like ours.
/// </summary>
internal static class Printable
{
    public static string Escape(string text)
    {
        if (!text.AsSpan().ContainsAnyExceptInRange(' ', '~'))
        {
            return text;
        }
        var output = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c is >= ' ' and <= '~')
            {
                output.Append(c);
            }
            else
            {
                output.Append("\\x").Append(((int)c & 0xFF).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return output.ToString();
    }
}
