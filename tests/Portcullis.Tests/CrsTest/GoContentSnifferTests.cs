using System.Text;
using Portcullis.CrsTest;

namespace Portcullis.Tests.CrsTest;

public sealed class GoContentSnifferTests
{
    [Theory]
    [InlineData("<title>Webshell Akmal archtte id</title>", "text/html; charset=utf-8")]
    [InlineData("  \n<HTML><head>", "text/html; charset=utf-8")]
    [InlineData("<p>Name: <%= @user.name %></p>", "text/html; charset=utf-8")]
    [InlineData("<!-- Simple PHP backdoor -->", "text/html; charset=utf-8")]
    [InlineData("<b>bold", "text/html; charset=utf-8")]
    [InlineData("<br/>", "text/plain; charset=utf-8")]
    [InlineData("<pre>x", "text/plain; charset=utf-8")]
    [InlineData("text=<title>404.14 - URL too long.</title>", "text/plain; charset=utf-8")]
    [InlineData("<?php echo 1; ?>", "text/plain; charset=utf-8")]
    [InlineData("<?xml version=\"1.0\"?><a/>", "text/xml; charset=utf-8")]
    [InlineData("%PDF-1.7", "application/pdf")]
    [InlineData("GIF89a....", "image/gif")]
    [InlineData("{\"a\": 1}", "text/plain; charset=utf-8")]
    [InlineData("bin\u0001ary", "application/octet-stream")]
    public void Detect_Body_MatchesGoDetectContentType(string body, string type)
    {
        Assert.Equal(type, GoContentSniffer.Detect(Encoding.Latin1.GetBytes(body)));
    }
}
