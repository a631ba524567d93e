using Portcullis.Waf.BodyProcessors;
using static Portcullis.Waf.Tests.BodyProcessors.MultipartBodies;

namespace Portcullis.Waf.Tests.BodyProcessors;

public sealed class MultipartParserTests
{
    [Fact]
    public void Parse_FieldsAndFile_SplitIntoArgumentsAndFiles()
    {
        var result = Parse(Crlf("""
            --b
            Content-Disposition: form-data; name="user"

            alice
            --b
            Content-Disposition: form-data; name="avatar"; filename="me.png"
            Content-Type: image/png

            PNGDATA
            --b
            Content-Disposition: form-data; name="note"

            two
            lines
            --b--

            """));

        Assert.Null(result.Error);
        Assert.Equal("user=alice | note=two\r\nlines", BodyAssert.Render(result.Arguments));
        Assert.Equal([new UploadedFile("avatar", "me.png", 7, "image/png")], result.Files);
        Assert.Equal(
            "user=Content-Disposition: form-data; name=\"user\" | "
            + "avatar=Content-Disposition: form-data; name=\"avatar\"; filename=\"me.png\" | avatar=Content-Type: image/png | "
            + "note=Content-Disposition: form-data; name=\"note\"",
            BodyAssert.Render(result.PartHeaders));
        Assert.Equal("0", result.Variables["MULTIPART_STRICT_ERROR"]);
        Assert.Equal("note", result.Variables["MULTIPART_NAME"]);          // the last name parsed
        Assert.Equal("me.png", result.Variables["MULTIPART_FILENAME"]);
    }

    [Theory]
    [InlineData("", "v=")]                               // empty value
    [InlineData("\r\n", "v=\r\n")]                       // only the last line break belongs to the boundary
    [InlineData("a\r\n\r\n", "v=a\r\n\r\n")]
    [InlineData("a\nb", "v=a\nb")]
    [InlineData("x--b", "v=x--b")]                      // boundary text not at a line start is data
    [InlineData("\0\u00ff\u00e9", "v=\0\u00ff\u00e9")]   // binary bytes stay bytes
    public void Parse_FieldValues_KeepEveryByteButTheDelimiter(string value, string expected)
    {
        var result = Parse(Fields(("v", value)));
        Assert.Null(result.Error);
        Assert.Equal(expected, BodyAssert.Render(result.Arguments));
        BodyAssert.AllBytes(result);
    }

    [Fact]
    public void Parse_FileContent_IsCountedNotKept()
    {
        var content = new string('x', 10_000) + "\r\nsecret=1";
        var result = Parse(Crlf("--b\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\n\n") + content + "\r\n--b--\r\n");
        Assert.Null(result.Error);
        Assert.Empty(result.Arguments);
        Assert.Equal(content.Length, Assert.Single(result.Files).Size);
        Assert.Equal("", result.Files[0].ContentType);
    }

    [Theory]
    // CRS 920120/920121: what the filename rules see.
    [InlineData("name=\"test\"; filename=\"1.j\\s\\p\"", "test", "1.j\\s\\p")]       // a backslash before other chars is kept
    [InlineData("name=\"fileRap\"; filename=\"te\\\"st.txt\"", "fileRap", "te\"st.txt")] // \" is an escaped quote
    [InlineData("name=\"f\"; filename=\"a\\\\b\"", "f", "a\\b")]
    [InlineData("name=f; filename=a.txt", "f", "a.txt")]                               // tokens
    [InlineData("name=\"\"; filename=\"\"", "", "")]                                     // empty but present: still a file
    [InlineData("name=\"f\";filename=\"x;y.txt\";", "f", "x;y.txt")]                   // trailing ';' is accepted
    public void Parse_ContentDisposition_ValuesAsModSecurityReadsThem(string parameters, string name, string fileName)
    {
        var result = Parse(Crlf($"--b\nContent-Disposition: form-data; {parameters}\n\ndata\n--b--\n"));
        Assert.Null(result.Error);
        var file = Assert.Single(result.Files);
        Assert.Equal((name, fileName), (file.FieldName, file.FileName));
    }

    [Fact]
    public void Parse_FoldedHeader_IsJoinedWithASpaceInPartHeaders()
    {
        var result = Parse(Crlf("--b\nContent-Disposition: form-data;\n\tname=\"a\"\nContent-Type: text/plain\n\nv\n--b--\n"));
        Assert.Null(result.Error);
        Assert.Equal("a=v", BodyAssert.Render(result.Arguments));
        Assert.Equal(
            "a=Content-Disposition: form-data; name=\"a\" | a=Content-Type: text/plain",
            BodyAssert.Render(result.PartHeaders));
    }

    [Fact]
    public void Parse_HeaderNamesAreCaseInsensitive()
    {
        // CRS 922100 sends "Content-disposition"; 922110 test 29 "CoNtEnT-TyPe".
        var result = Parse(Crlf("--b\nContent-disposition: form-data; name=\"_charset_\"\nCoNtEnT-TyPe: text/plain; charset=utf-7\n\nutf-7\n--b--\n"));
        Assert.Null(result.Error);
        Assert.Equal("_charset_=utf-7", BodyAssert.Render(result.Arguments));
        Assert.Contains(new KeyValuePair<string, string>("_charset_", "CoNtEnT-TyPe: text/plain; charset=utf-7"), result.PartHeaders);
    }

    [Fact]
    public void Parse_OnlyFinalBoundary_IsAnEmptyValidBody()
    {
        // CRS 922110 test 19.
        var result = Parse("------WebKitFormBoundary--\r\n", "multipart/form-data; boundary=----WebKitFormBoundary");
        Assert.Null(result.Error);
        Assert.Empty(result.Arguments);
        Assert.Equal("0", result.Variables["MULTIPART_STRICT_ERROR"]);
    }

    [Fact]
    public void Parse_FinalBoundaryWithoutLineBreak_Completes()
    {
        var result = Parse("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--");
        Assert.Null(result.Error);
        Assert.Equal("a=v", BodyAssert.Render(result.Arguments));
    }

    [Fact]
    public void Parse_EmptyBody_NoErrorNoValues()
    {
        var result = Parse("");
        Assert.Null(result.Error);
        Assert.Empty(result.Arguments);
    }

    [Fact]
    public void Parse_LongDataLines_AreNotSplitIntoSeparateValues()
    {
        // Data lines longer than ModSecurity's 4096-byte buffer arrive in pieces; the value must be whole.
        var value = new string('a', 4095) + "\r" + new string('b', 9000);
        var result = Parse(Fields(("v", value)));
        Assert.Null(result.Error);
        Assert.Equal(value, Assert.Single(result.Arguments).Value);
    }

    [Fact]
    public void Parse_QuotedBoundary_Matches()
    {
        var result = Parse(Fields(("a", "1")), "multipart/form-data; boundary=\"b\"");
        Assert.Null(result.Error);
        Assert.Equal("a=1", BodyAssert.Render(result.Arguments));
        Assert.Equal("1", result.Variables["MULTIPART_BOUNDARY_QUOTED"]);
    }

    [Fact]
    public void Parse_ErrorAfterFirstPart_KeepsWhatWasParsed()
    {
        var result = Parse(Crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\n1\n--b\nBroken header\n\n2\n--b--\n"));
        Assert.StartsWith("Multipart parsing error: Multipart: Invalid part header (colon missing)", result.Error, StringComparison.Ordinal);
        Assert.Equal("a=1", BodyAssert.Render(result.Arguments));
        Assert.Equal("1", result.Variables["MULTIPART_STRICT_ERROR"]);
    }
}
