using System.Text;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// One logged rule match: what matched where, with the rule's metadata expanded at match time. A chain reports once,
/// under its head's id, when all its links matched.
/// </summary>
public sealed record MatchedRule(
    int Id,
    Phase Phase,
    string? Message,
    string? Data,
    string? Severity,
    IReadOnlyList<string> Tags,
    string? Version,
    string VariableName,
    string MatchedValue,
    string File,
    int Line,
    bool Disruptive)
{
    /// <summary>The longest logdata ModSecurity v2 writes (msc_logging: 512 bytes).</summary>
    private const int MaxDataLength = 512;

    /// <summary>ModSecurity's alert format: <c>[file ".."] [line ".."] [id ".."] [msg ".."] [data ".."] [severity ".."] [ver ".."] [tag ".."]</c>.</summary>
    public string ToLogLine()
    {
        var builder = new StringBuilder();
        Append(builder, "file", File);
        Append(builder, "line", Line.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(builder, "id", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Message is not null)
        {
            Append(builder, "msg", Message);
        }
        if (Data is not null)
        {
            Append(builder, "data", Data.Length > MaxDataLength ? Data[..MaxDataLength] + "..." : Data);
        }
        if (Severity is not null)
        {
            Append(builder, "severity", Severity);
        }
        if (Version is not null)
        {
            Append(builder, "ver", Version);
        }
        foreach (var tag in Tags)
        {
            Append(builder, "tag", tag);
        }
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, string name, string value)
    {
        if (builder.Length > 0)
        {
            builder.Append(' ');
        }
        builder.Append('[').Append(name).Append(" \"");
        foreach (var c in value)
        {
            // Escape as ModSecurity's log_escape does, so one match is one line and quotes cannot forge fields.
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case < ' ' or > '~':
                    builder.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
        builder.Append("\"]");
    }
}
