using System.Globalization;
using System.Text;

namespace Portcullis.Incidents;

/// <summary>
/// Writes suggested exclusions in the config's format (<c>waf.exclusions</c> of a site):
/// <code>
/// exclusions:
///   # 942100 matched ARGS:comment = '...'
///   - rules: [942100, 942200]
///     targets: ["ARGS:comment"]
///     path: "/blog/comments"
///     methods: ["POST"]
/// </code>
/// Names and paths come from the request, so every string is double-quoted and escaped (YAML's <c>\xHH</c> for
/// anything unprintable, which reads back as that one byte).
/// </summary>
internal static class ExclusionYaml
{
    public static string Render(IReadOnlyList<SuggestedExclusion> entries, int indent = 0)
    {
        var pad = new string(' ', indent);
        var text = new StringBuilder();
        text.Append(pad).Append("exclusions:\n");
        foreach (var entry in entries)
        {
            text.Append(pad).Append("  # ").Append(Printable.Escape(entry.Reason)).Append('\n');
            text.Append(pad).Append("  - rules: [").AppendJoin(", ", entry.Rules.Select(r => r.ToString(CultureInfo.InvariantCulture))).Append("]\n");
            if (entry.Targets.Count > 0)
            {
                text.Append(pad).Append("    targets: [").AppendJoin(", ", entry.Targets.Select(Quote)).Append("]\n");
            }
            if (entry.Path is not null)
            {
                text.Append(pad).Append("    path: ").Append(Quote(entry.Path)).Append('\n');
            }
            if (entry.Methods.Count > 0)
            {
                text.Append(pad).Append("    methods: [").AppendJoin(", ", entry.Methods.Select(Quote)).Append("]\n");
            }
        }
        return text.ToString();
    }

    /// <summary>A YAML double-quoted scalar.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case < ' ' or > '~':
                    text.Append("\\x").Append(((int)c & 0xFF).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
        return text.Append('"').ToString();
    }
}
