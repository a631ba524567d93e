using System.Diagnostics;
using System.Text;
using Portcullis.Waf.BodyProcessors;

namespace Portcullis.Waf.Tests.BodyProcessors;

public sealed class XmlBodyParserTests
{
    private static readonly XmlBodyOptions WithDoctype = new() { AllowDoctype = true };

    private static BodyParseResult Parse(string xml, XmlBodyOptions? options = null) =>
        XmlBodyParser.Parse(Encoding.UTF8.GetBytes(xml), options ?? XmlBodyOptions.Default);

    [Theory]
    // CRS's XML regression bodies: the payload sits in an attribute or an element.
    [InlineData("<?xml version=\"1.0\"?><root><a probe=\"http://66.240.183.75/crash.php\"></a></root>", "", "http://66.240.183.75/crash.php")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?><catalog><tag>ftp%3A%2F%2F1.1.1.1</tag></catalog>", "ftp%3A%2F%2F1.1.1.1", "")]
    [InlineData("<?xml version=\"1.0\"?><root><a probe=\"&#10;POST / HTTP/1.1\"></a></root>", "", "\nPOST / HTTP/1.1")]
    [InlineData("<?xml version=\"1.0\"?><root><a probe=\"foobar&lt;meta http-equiv=&quot;Refresh&quot;&gt;\"></a></root>", "", "foobar<meta http-equiv=\"Refresh\">")]
    [InlineData("<xml><l1><l2><l3><element attribute_name=\"attribute_value\">BjbG9</element></l3></l2></l1></xml>", "BjbG9", "attribute_value")]
    public void Parse_CrsBodies_ExposeTextAndAttributes(string xml, string text, string attributes)
    {
        var result = Parse(xml);
        Assert.Null(result.Error);
        Assert.Equal(text, Assert.Single(result.XmlText));
        Assert.Equal(attributes, string.Join(" | ", result.XmlAttributeValues));
    }

    [Fact]
    public void Parse_RootContent_IsAllDescendantTextConcatenated()
    {
        var result = Parse("<r>\n  <a x=\"1\" y=\"2\">one</a>\n  <!-- skip --><?pi skip?><b><![CDATA[<two>]]></b>&amp;three\n</r>");
        Assert.Null(result.Error);
        Assert.Equal("\n  one\n  <two>&three\n", Assert.Single(result.XmlText));
        Assert.Equal(["one", "<two>", "&three\n"], result.XmlTextNodes);
        Assert.Equal(["1", "2"], result.XmlAttributeValues);
    }

    [Fact]
    public void Parse_NamespaceDeclarations_AreNotAttributes()
    {
        var result = Parse("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns=\"urn:x\" s:id=\"7\"><s:Body/></s:Envelope>");
        Assert.Null(result.Error);
        Assert.Equal(["7"], result.XmlAttributeValues);
    }

    [Fact]
    public void Parse_AttributeWhitespace_IsNormalisedButCharacterReferencesKept() =>
        Assert.Equal(["a b\nc"], Parse("<r v=\"a\r\nb&#10;c\"/>").XmlAttributeValues);

    [Theory]
    [InlineData("<r a=\"é\">é</r>")]
    [InlineData("<r a=\"&#233;\">&#xE9;</r>")]
    public void Parse_NonAsciiText_IsItsUtf8Bytes(string xml)
    {
        var result = Parse(xml);
        Assert.Equal("\u00c3\u00a9", Assert.Single(result.XmlText));
        Assert.Equal("\u00c3\u00a9", Assert.Single(result.XmlAttributeValues));
        BodyAssert.AllBytes(result);
    }

    [Fact]
    public void Parse_Latin1Document_IsReEncodedToUtf8()
    {
        var body = Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>\u00e9</r>");
        var result = XmlBodyParser.Parse(body);
        Assert.Null(result.Error);
        Assert.Equal("\u00c3\u00a9", Assert.Single(result.XmlText));
    }

    [Theory]
    [InlineData("<r><a></r>")]
    [InlineData("<r/><s/>")]
    [InlineData("<r a=\"1\" a=\"2\"/>")]
    [InlineData("<r>&undeclared;</r>")]
    [InlineData("just text")]
    [InlineData("   ")]
    [InlineData("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\\\"http://schemas.xmlsoap.org/soap/envelope/\\\"></SOAP-ENV:Envelope>")] // CRS 920240 test 4
    public void Parse_Malformed_IsAnError(string xml) =>
        Assert.StartsWith("XML parser error: XML: Failed parsing document.", Parse(xml).Error, StringComparison.Ordinal);

    [Fact]
    public void Parse_InvalidUtf8_IsAnError() =>
        Assert.StartsWith("XML parser error: ", XmlBodyParser.Parse([(byte)'<', (byte)'r', (byte)'>', 0xC3, 0x28, (byte)'<', (byte)'/', (byte)'r', (byte)'>']).Error, StringComparison.Ordinal);

    [Fact]
    public void Parse_ErrorMidway_KeepsWhatWasRead()
    {
        var result = Parse("<r><a p=\"payload\">text</a><b>");
        Assert.NotNull(result.Error);
        Assert.Equal(["payload"], result.XmlAttributeValues);
        Assert.Equal("text", Assert.Single(result.XmlText));
    }

    [Fact]
    public void Parse_EmptyBody_NoError() => Assert.Null(XmlBodyParser.Parse([]).Error);

    [Fact]
    public void Parse_Doctype_IsRefusedByDefault()
    {
        var result = Parse("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>");
        Assert.Equal("XML parser error: XML: DOCTYPE is not allowed.", result.Error);
        Assert.Empty(result.XmlText);
    }

    [Fact]
    public void Parse_DoctypeAllowed_ExpandsInternalEntities()
    {
        var result = Parse("<!DOCTYPE r [<!ENTITY x \"hello\">]><r a=\"&x;\">1&x;2</r>", WithDoctype);
        Assert.Null(result.Error);
        Assert.Equal("1hello2", Assert.Single(result.XmlText));
        Assert.Equal(["hello"], result.XmlAttributeValues);
    }

    [Fact]
    public void Parse_DoctypeAllowed_NeverReadsExternalEntities()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"portcullis-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOPSECRET");
        try
        {
            var uri = new Uri(secret).AbsoluteUri;
            var result = Parse($"<!DOCTYPE r [<!ENTITY xxe SYSTEM \"{uri}\">]><r>a&xxe;b</r>", WithDoctype);
            Assert.DoesNotContain("TOPSECRET", string.Concat(result.XmlText), StringComparison.Ordinal);
            Assert.Equal("ab", Assert.Single(result.XmlText));

            var viaDtd = Parse($"<!DOCTYPE r SYSTEM \"{uri}\"><r>x</r>", WithDoctype);
            Assert.Null(viaDtd.Error);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Parse_DoctypeAllowed_BillionLaughsIsBounded()
    {
        var dtd = new StringBuilder("<!DOCTYPE r [<!ENTITY l0 \"lollollollol\">");
        for (var i = 1; i <= 9; i++)
        {
            dtd.Append($"<!ENTITY l{i} \"").Append(string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))).Append("\">");
        }
        dtd.Append("]><r>&l9;</r>");

        var watch = Stopwatch.StartNew();
        var result = Parse(dtd.ToString(), WithDoctype);
        watch.Stop();
        Assert.StartsWith("XML parser error: XML: Failed parsing document.", result.Error, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Parse_DeepNesting_StopsAtTheDepthLimit()
    {
        var xml = string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000));
        var watch = Stopwatch.StartNew();
        var result = Parse(xml);
        watch.Stop();
        Assert.Equal("XML parser error: XML: Excessive depth in document: 256.", result.Error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Null(Parse(string.Concat(Enumerable.Repeat("<a>", 256)) + string.Concat(Enumerable.Repeat("</a>", 256))).Error);
    }

    [Fact]
    public void Options_Defaults_AndValidation()
    {
        Assert.False(XmlBodyOptions.Default.AllowDoctype);
        Assert.Equal(256, XmlBodyOptions.Default.MaxDepth);
        Assert.Equal(1 << 20, XmlBodyOptions.Default.MaxEntityExpansion);
        Assert.Equal(3, new XmlBodyOptions { MaxDepth = 3 }.MaxDepth);
        Assert.Throws<ArgumentOutOfRangeException>(() => new XmlBodyOptions { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new XmlBodyOptions { MaxEntityExpansion = 0 });
    }
}
