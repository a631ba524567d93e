using System.Text;
using System.Xml;

namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// XML processor: fills <c>XML:/*</c> and <c>XML://@*</c>, the two XPath forms CRS uses.
/// <list type="bullet">
/// <item><see cref="BodyParseResult.XmlText"/>: what ModSecurity v2 evaluates for <c>/*</c> — libxml2's
/// <c>xmlNodeGetContent</c> of the root element, all descendant text and CDATA concatenated in document order,
/// whitespace between elements included, comments and processing instructions left out.</item>
/// <item><see cref="BodyParseResult.XmlTextNodes"/>: the same text node by node (Coraza's view).</item>
/// <item><see cref="BodyParseResult.XmlAttributeValues"/>: every attribute value, normalised as XML requires
/// (a literal newline becomes a space, <c>&amp;#10;</c> stays a newline); namespace declarations are not attributes in
/// XPath and are left out, as are defaults a DTD supplies.</item>
/// </list>
/// Values are the UTF-8 bytes of the text (libxml2's internal encoding) as byte strings, whatever encoding the
/// document declares. The reader never resolves external entities or a DTD from a URL (XmlResolver is null), bounds
/// entity expansion and nesting, and refuses a DOCTYPE unless <see cref="XmlBodyOptions.AllowDoctype"/>. A document
/// that is not well formed is an error; text and attributes read before the error are kept.
/// </summary>
internal static class XmlBodyParser
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    public static BodyParseResult Parse(ReadOnlySpan<byte> body) => Parse(body, XmlBodyOptions.Default);

    public static BodyParseResult Parse(ReadOnlySpan<byte> body, XmlBodyOptions options)
    {
        var result = new BodyParseResult();
        if (body.IsEmpty)
        {
            // ModSecurity creates its libxml2 context on the first chunk; with no body there is nothing to fail.
            return result;
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            MaxCharactersFromEntities = options.MaxEntityExpansion,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = false,
        };

        var rootText = new StringBuilder();
        var rootSeen = false;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body.ToArray(), writable: false), settings);
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.DocumentType when !options.AllowDoctype:
                        result.Error = "XML parser error: XML: DOCTYPE is not allowed.";
                        return Finish(result, rootText, rootSeen);
                    case XmlNodeType.Element:
                        if (reader.Depth >= options.MaxDepth)
                        {
                            result.Error = $"XML parser error: XML: Excessive depth in document: {options.MaxDepth}.";
                            return Finish(result, rootText, rootSeen);
                        }
                        rootSeen = true;
                        ReadAttributes(reader, result.XmlAttributeValues);
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        if (reader.Depth >= 1)
                        {
                            var text = reader.Value;
                            rootText.Append(text);
                            if (!string.IsNullOrWhiteSpace(text))
                            {
                                result.XmlTextNodes.Add(ByteStrings.FromText(text));
                            }
                        }
                        break;
                }
            }
        }
        catch (Exception e) when (e is XmlException or DecoderFallbackException or ArgumentException or NotSupportedException)
        {
            // ModSecurity's words for any libxml2 failure, then what the reader said.
            result.Error = "XML parser error: XML: Failed parsing document. " + e.Message;
        }
        return Finish(result, rootText, rootSeen);
    }

    private static void ReadAttributes(XmlReader reader, List<string> values)
    {
        if (!reader.MoveToFirstAttribute())
        {
            return;
        }
        do
        {
            if (!reader.IsDefault && reader.NamespaceURI != XmlnsNamespace)
            {
                values.Add(ByteStrings.FromText(reader.Value));
            }
        }
        while (reader.MoveToNextAttribute());
        reader.MoveToElement();
    }

    private static BodyParseResult Finish(BodyParseResult result, StringBuilder rootText, bool rootSeen)
    {
        if (rootSeen)
        {
            result.XmlText.Add(ByteStrings.FromText(rootText.ToString()));
        }
        return result;
    }
}
