namespace Portcullis.Waf.Detection;

/// <summary>
/// <c>@detectXSS</c>: our own cross-site scripting detector in libinjection's design. The input is tokenized as
/// HTML from each place an injected value can land (<see cref="HtmlStartState"/>), and it is XSS when the markup
/// it produces could run script: a dangerous tag, an event handler or data-binding attribute with a value, a
/// script URL in a URL attribute, scripting CSS, a doctype, or comments old browsers execute. Thread-safe and
/// allocation-free.
/// </summary>
internal static class XssDetector
{
    public static bool IsXss(ReadOnlySpan<char> input)
    {
        if (!MayBeXss(input))
        {
            return false;
        }
        return IsXss(input, HtmlStartState.Data)
            || IsXss(input, HtmlStartState.AfterUnquotedValue)
            || (input.Contains('\'') && IsXss(input, HtmlStartState.SingleQuotedValue))
            || (input.Contains('"') && IsXss(input, HtmlStartState.DoubleQuotedValue))
            || (input.Contains('`') && IsXss(input, HtmlStartState.BackQuotedValue));
    }

    /// <summary>
    /// The characters every detection needs one of (<see cref="MayBeXss"/>): a tag, a comment or a doctype starts
    /// with <c>&lt;</c> (only the data state reads them, and no other state leads to it but a <c>&gt;</c> after a tag),
    /// and a dangerous attribute is judged by a value that only <c>=</c> introduces (a quoted start state's first
    /// value belongs to no attribute).
    /// </summary>
    public const string Triggers = "<=";

    /// <summary>False when <paramref name="input"/> holds none of <see cref="Triggers"/>: most benign values, answered
    /// with one vectorised search instead of two tokenizer passes.</summary>
    public static bool MayBeXss(ReadOnlySpan<char> input) => input.IndexOfAny(Triggers) >= 0;

    internal static bool IsXss(ReadOnlySpan<char> input, HtmlStartState start)
    {
        var tokenizer = new HtmlTokenizer(input, start);
        var attribute = HtmlAttributeKind.Harmless;
        while (tokenizer.Next(out var token))
        {
            var text = input.Slice(token.Start, token.Length);
            switch (token.Type)
            {
                case HtmlTokenType.Doctype:
                    return true;
                case HtmlTokenType.TagOpen:
                case HtmlTokenType.TagEnd:
                    // A closing </script> or </style> in a value ends the page's own block and starts new markup.
                    if (XssVocabulary.IsDangerousTag(text))
                    {
                        return true;
                    }
                    attribute = HtmlAttributeKind.Harmless;
                    break;
                case HtmlTokenType.AttributeName:
                    attribute = XssVocabulary.ClassifyAttribute(text);
                    break;
                case HtmlTokenType.AttributeValue:
                    if (IsDangerousValue(attribute, text))
                    {
                        return true;
                    }
                    attribute = HtmlAttributeKind.Harmless;
                    break;
                case HtmlTokenType.Comment:
                    if (IsExecutableComment(text))
                    {
                        return true;
                    }
                    break;
                default:
                    attribute = HtmlAttributeKind.Harmless;
                    break;
            }
        }
        return false;
    }

    /// <summary>
    /// Attributes are judged by their value: a bare "onload" in prose ("online store") never gets one, while any
    /// value of an event handler is script.
    /// </summary>
    private static bool IsDangerousValue(HtmlAttributeKind attribute, ReadOnlySpan<char> value) => attribute switch
    {
        HtmlAttributeKind.Script => true,
        HtmlAttributeKind.Style => XssVocabulary.IsDangerousStyle(value),
        HtmlAttributeKind.Url => XssVocabulary.IsDangerousUrl(value),
        HtmlAttributeKind.Namespace => XssVocabulary.IsScriptableNamespace(value),
        HtmlAttributeKind.Indirect => XssVocabulary.ClassifyAttribute(value) != HtmlAttributeKind.Harmless,
        _ => false,
    };

    /// <summary>IE ran conditional comments (&lt;!--[if …]&gt;) and treated ` as a tag end inside comments;
    /// &lt;?import …&gt;, &lt;?xml:namespace …&gt; and DTD declarations (&lt;!ENTITY …&gt;) change how the rest of
    /// the page is parsed.</summary>
    private static bool IsExecutableComment(ReadOnlySpan<char> body)
    {
        if (body.Contains('`'))
        {
            return true;
        }
        // "<?xml version=…?>" is an ordinary XML prolog; "<?xml:namespace …>" imported behaviours into IE.
        return body.StartsWith("[if", StringComparison.OrdinalIgnoreCase)
            || body.StartsWith("xml:", StringComparison.OrdinalIgnoreCase)
            || body.StartsWith("import", StringComparison.OrdinalIgnoreCase)
            || body.StartsWith("entity", StringComparison.OrdinalIgnoreCase)
            || body.StartsWith("attlist", StringComparison.OrdinalIgnoreCase)
            || body.StartsWith("element", StringComparison.OrdinalIgnoreCase);
    }
}
