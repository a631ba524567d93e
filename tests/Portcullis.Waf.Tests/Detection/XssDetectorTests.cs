using Portcullis.Waf.Detection;

namespace Portcullis.Waf.Tests.Detection;

public sealed class XssDetectorTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<ScRiPt src=//evil.example/x.js>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<svg/onload=alert(1)>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<a href=\" &#106;avascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"jav&#x09;ascript:alert(1)\">x</a>")]
    [InlineData("<iframe src=\"data:text/html,<script>alert(1)</script>\">")]
    [InlineData("\" onmouseover=\"alert(1)")]
    [InlineData("' onfocus='alert(1)' autofocus='")]
    [InlineData("x onclick=alert(1)")]
    [InlineData("<div style=\"width: expression(alert(1))\">")]
    [InlineData("<!DOCTYPE html><html>")]
    [InlineData("<!--[if gte IE 4]><script>alert(1)</script><![endif]-->")]
    [InlineData("</script><img src=x>")]
    [InlineData("<scr\0ipt>alert(1)</scr\0ipt>")]
    [InlineData("<x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">alert(1)</x:script>")]
    public void IsXss_ClassicAttack_ReturnsTrue(string input) => Assert.True(XssDetector.IsXss(input), input);

    [Theory]
    [InlineData("Hello world, this is plain text.")]
    [InlineData("alice.smith+news@example.com")]
    [InlineData("if a < b and c > d then swap")]
    [InlineData("Check our online store")]
    [InlineData("<p>Some <b>bold</b> and <a href=\"https://example.com/page\">a link</a></p>")]
    [InlineData("<p style=\"text-align: center;\"><span style=\"color: #123abc;\">centred</span></p>")]
    [InlineData("<img src=\"https://cdn.example.com/a.png\" alt=\"photo\">")]
    [InlineData("Tom's \"best\" price")]
    [InlineData("<?xml version=\"1.0\"?><order id=\"1\"/>")]
    [InlineData("https://example.com/search?q=javascript+tutorial")]
    [InlineData("")]
    public void IsXss_BenignText_ReturnsFalse(string input) => Assert.False(XssDetector.IsXss(input), input);

    [Theory]
    [InlineData("x\" onload=\"alert(1)", (int)HtmlStartState.DoubleQuotedValue, true)]
    [InlineData("x\" onload=\"alert(1)", (int)HtmlStartState.Data, false)]
    [InlineData("x' onload='alert(1)", (int)HtmlStartState.SingleQuotedValue, true)]
    [InlineData("x` onload=`alert(1)", (int)HtmlStartState.BackQuotedValue, true)]
    public void IsXss_StartState_DecidesWhereTheInputBreaksOut(string input, int start, bool expected) =>
        Assert.Equal(expected, XssDetector.IsXss(input, (HtmlStartState)start));

    [Fact]
    public void IsXss_BenignPath_DoesNotAllocate()
    {
        const string input = "<p>It's a \"quoted\" <b>paragraph</b> with a <a href=\"/x\">link</a></p>";
        XssDetector.IsXss(input);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            XssDetector.IsXss(input);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void IsXss_HugeHostileInput_FinishesQuickly()
    {
        var hostile = string.Concat(Enumerable.Repeat("<a b='\"` c=", 50_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        XssDetector.IsXss(hostile);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), watch.Elapsed.ToString());
    }

    /// <summary>
    /// Without <c>&lt;</c> or <c>=</c> no start state may flag a value (XssDetector.MayBeXss, which the engine also uses
    /// to skip @detectXSS rules whole): random strings built from the pieces that matter to the tokenizer (quotes,
    /// <c>&gt;</c>, slashes, whitespace, event-handler and URL words), run through every start state in full.
    /// </summary>
    [Fact]
    public void WithoutALessThanOrEquals_NoStartStateFlags()
    {
        string[] pieces =
        [
            "\"", "'", "`", ">", "/", " ", "\t", "\n", "onload", "onerror", "style", "href", "src", "xmlns", "javascript:",
            "expression(", "alert(1)", "!DOCTYPE", "!--", "?xml:", "script", "x", "&#106;", "\\", ":", ";", "(", ")",
        ];
        var random = new Random(20261128);
        var starts = Enum.GetValues<HtmlStartState>();
        for (var i = 0; i < 20_000; i++)
        {
            var value = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.False(XssDetector.MayBeXss(value));
            foreach (var start in starts)
            {
                Assert.False(XssDetector.IsXss(value, start), $"{start}: {value}");
            }
        }
        // And the same pieces with one '=' do get flagged, so the generator can reach a detection.
        Assert.True(XssDetector.IsXss("\" onload=alert(1)"));
    }

    [Theory]
    [InlineData("<b")]
    [InlineData("a=b")]
    public void MayBeXss_LessThanOrEquals_True(string value) => Assert.True(XssDetector.MayBeXss(value));
}
