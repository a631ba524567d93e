using System.Collections.Frozen;

namespace Portcullis.Waf.Detection;

/// <summary>
/// The tags, attributes and URL schemes that make markup executable. Names compare case-insensitively with NUL
/// bytes ignored, because browsers drop NULs inside names (<c>&lt;scr\0ipt&gt;</c>).
/// </summary>
internal static class XssVocabulary
{
    /// <summary>Longest name worth comparing; longer ones are harmless anyway.</summary>
    private const int MaxName = 32;

    // Tags that load or run code, embed documents, or change how the page is parsed (XML, VML, IE's COMMENT).
    private static readonly FrozenSet<string> DangerousTags = new[]
    {
        "APPLET", "BASE", "COMMENT", "EMBED", "FRAME", "FRAMESET", "HANDLER", "IFRAME", "IMPORT", "ISINDEX", "LINK",
        "LISTENER", "META", "NOSCRIPT", "OBJECT", "SCRIPT", "STYLE", "VMLFRAME", "XML", "XSS",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> TagLookup =
        DangerousTags.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly Dictionary<string, HtmlAttributeKind> Attributes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ACTION"] = HtmlAttributeKind.Url,
        ["ATTRIBUTENAME"] = HtmlAttributeKind.Indirect,
        ["BY"] = HtmlAttributeKind.Url,
        ["BACKGROUND"] = HtmlAttributeKind.Url,
        ["DATAFORMATAS"] = HtmlAttributeKind.Script,
        ["DATASRC"] = HtmlAttributeKind.Script,
        ["DYNSRC"] = HtmlAttributeKind.Url,
        ["FILTER"] = HtmlAttributeKind.Style,
        ["FORMACTION"] = HtmlAttributeKind.Url,
        ["FOLDER"] = HtmlAttributeKind.Url,
        ["FROM"] = HtmlAttributeKind.Url,
        ["HANDLER"] = HtmlAttributeKind.Url,
        ["HREF"] = HtmlAttributeKind.Url,
        ["LOWSRC"] = HtmlAttributeKind.Url,
        ["POSTER"] = HtmlAttributeKind.Url,
        ["SRC"] = HtmlAttributeKind.Url,
        ["STYLE"] = HtmlAttributeKind.Style,
        ["TO"] = HtmlAttributeKind.Url,
        ["VALUES"] = HtmlAttributeKind.Url,
        ["XLINK:HREF"] = HtmlAttributeKind.Url,
    };

    private static readonly Dictionary<string, HtmlAttributeKind>.AlternateLookup<ReadOnlySpan<char>> AttributeLookup =
        Attributes.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool IsDangerousTag(ReadOnlySpan<char> name)
    {
        Span<char> buffer = stackalloc char[MaxName];
        var clean = WithoutNuls(name, buffer);
        if (clean.IsEmpty)
        {
            return false;
        }
        // Any SVG or XSL element can carry script (svg, svg:script, xsl:stylesheet …).
        return clean.StartsWith("SVG", StringComparison.OrdinalIgnoreCase)
            || clean.StartsWith("XSL", StringComparison.OrdinalIgnoreCase)
            || TagLookup.Contains(clean);
    }

    public static HtmlAttributeKind ClassifyAttribute(ReadOnlySpan<char> name)
    {
        Span<char> buffer = stackalloc char[MaxName];
        var clean = WithoutNuls(name, buffer);
        if (clean.Length < 2)
        {
            return HtmlAttributeKind.Harmless;
        }
        if (clean.Length >= 5)
        {
            // Event handlers (onload, onerror, and any future on…).
            if (clean.StartsWith("ON", StringComparison.OrdinalIgnoreCase))
            {
                return HtmlAttributeKind.Script;
            }
            if (clean.StartsWith("XMLNS", StringComparison.OrdinalIgnoreCase)
                || clean.StartsWith("XLINK", StringComparison.OrdinalIgnoreCase))
            {
                return HtmlAttributeKind.Namespace;
            }
        }
        return AttributeLookup.TryGetValue(clean, out var kind) ? kind : HtmlAttributeKind.Harmless;
    }

    /// <summary>
    /// A URL a browser would run or render as a document. Leading spaces and control bytes are skipped, and inside
    /// the scheme NULs, tabs and newlines are ignored and character references decoded (<c>jav&amp;#x09;ascript:</c>),
    /// as browsers do. "java" alone suffices: no harmless URL starts so.
    /// </summary>
    public static bool IsDangerousUrl(ReadOnlySpan<char> value)
    {
        var i = 0;
        while (i < value.Length && (value[i] <= ' ' || value[i] >= '\u007F'))
        {
            i++;
        }
        var rest = value[i..];
        return SchemeStartsWith(rest, "DATA:") || SchemeStartsWith(rest, "VIEW-SOURCE:")
            || SchemeStartsWith(rest, "JAVA") || SchemeStartsWith(rest, "VBSCRIPT:")
            || SchemeStartsWith(rest, "LIVESCRIPT:") || SchemeStartsWith(rest, "MOCHA:");
    }

    /// <summary>
    /// A namespace that makes the element it is declared on (x:script) an XHTML or SVG element, able to run script.
    /// Other XML vocabularies (SOAP, WFS, Exchange autodiscover) are inert in a page.
    /// </summary>
    public static bool IsScriptableNamespace(ReadOnlySpan<char> value) =>
        IsDangerousUrl(value)
        || value.Contains("1999/xhtml", StringComparison.OrdinalIgnoreCase)
        || value.Contains("2000/svg", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// CSS that can run script or hide what it does: IE's expression() and behavior, Firefox's -moz-binding,
    /// script URLs, @import, and escapes, comments or markup inside the value. Plain presentation
    /// (<c>text-align: center; color: #123</c>), the bulk of rich-text editor output, is not.
    /// </summary>
    public static bool IsDangerousStyle(ReadOnlySpan<char> value) =>
        value.IndexOfAny('\\', '<', '>') >= 0 || value.Contains('`')
        || value.Contains("/*", StringComparison.Ordinal) || value.Contains("&#", StringComparison.Ordinal)
        || value.Contains("expression", StringComparison.OrdinalIgnoreCase)
        || value.Contains("script", StringComparison.OrdinalIgnoreCase)
        || value.Contains("behavio", StringComparison.OrdinalIgnoreCase)
        || value.Contains("binding", StringComparison.OrdinalIgnoreCase)
        || value.Contains("@import", StringComparison.OrdinalIgnoreCase);

    private static bool SchemeStartsWith(ReadOnlySpan<char> s, string prefix)
    {
        var i = 0;
        foreach (var expected in prefix)
        {
            char c;
            do
            {
                if (i >= s.Length)
                {
                    return false;
                }
                c = HtmlCharReference.Read(s, ref i);
            }
            while (c is '\0' or '\t' or '\n' or '\r');
            if (char.ToUpperInvariant(c) != expected)
            {
                return false;
            }
        }
        return true;
    }

    private static ReadOnlySpan<char> WithoutNuls(ReadOnlySpan<char> name, Span<char> buffer)
    {
        var n = 0;
        foreach (var c in name)
        {
            if (c == '\0')
            {
                continue;
            }
            if (n == buffer.Length)
            {
                return [];
            }
            buffer[n++] = c;
        }
        return buffer[..n];
    }
}
