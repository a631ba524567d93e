using System.Text;
using Portcullis.Waf.BodyProcessors;

namespace Portcullis.Waf.Tests.BodyProcessors;

/// <summary>Renders parser output compactly for table-driven expectations, and checks the bytes-not-text rule.</summary>
internal static class BodyAssert
{
    /// <summary>"name=value" pairs joined by " | ".</summary>
    public static string Render(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join(" | ", pairs.Select(pair => pair.Key + "=" + pair.Value));

    /// <summary>Every char is a byte (≤ 0xFF): the engine never holds decoded UTF-16 text.</summary>
    public static void AllBytes(BodyParseResult result)
    {
        var strings = result.Arguments.SelectMany(a => new[] { a.Key, a.Value })
            .Concat(result.PartHeaders.SelectMany(a => new[] { a.Key, a.Value }))
            .Concat(result.Files.SelectMany(f => new[] { f.FieldName, f.FileName, f.ContentType }))
            .Concat(result.Variables.Values)
            .Concat(result.XmlText).Concat(result.XmlTextNodes).Concat(result.XmlAttributeValues);
        foreach (var s in strings)
        {
            Assert.All(s, c => Assert.True(c <= '\u00ff', $"char U+{(int)c:X4} in \"{s}\""));
        }
    }

    /// <summary>The string's chars as the bytes they stand for.</summary>
    public static byte[] Bytes(string byteString) => Encoding.Latin1.GetBytes(byteString);

    /// <summary>Text as its UTF-8 bytes in a byte string ("é" → "\u00c3\u00a9").</summary>
    public static string Utf8(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));
}
