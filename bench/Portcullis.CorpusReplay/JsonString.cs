using System.Text;

namespace Portcullis.CorpusReplay;

/// <summary>Writes a payload as a JSON string literal, escaping only what RFC 8259 §7 requires (quote, backslash,
/// control characters). System.Text.Json's default encoder would also turn <c>&lt;</c>, <c>'</c>, <c>&amp;</c> and
/// every non-ASCII character into <c>\uXXXX</c>, changing the raw body the WAF inspects.</summary>
internal static class JsonString
{
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '\b' => text.Append("\\b"),
                '\f' => text.Append("\\f"),
                < ' ' => text.Append("\\u00").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }
}
