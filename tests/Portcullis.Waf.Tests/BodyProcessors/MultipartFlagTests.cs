using Portcullis.Waf.BodyProcessors;
using static Portcullis.Waf.Tests.BodyProcessors.MultipartBodies;

namespace Portcullis.Waf.Tests.BodyProcessors;

/// <summary>One crafted body per ModSecurity v2 multipart flag; a clean body raises none of them.</summary>
public sealed class MultipartFlagTests
{
    private const string Field = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n";

    private static readonly string[] AllFlags =
    [
        "MULTIPART_STRICT_ERROR", "MULTIPART_BOUNDARY_QUOTED", "MULTIPART_BOUNDARY_WHITESPACE", "MULTIPART_DATA_BEFORE",
        "MULTIPART_DATA_AFTER", "MULTIPART_HEADER_FOLDING", "MULTIPART_LF_LINE", "MULTIPART_CRLF_LF_LINES",
        "MULTIPART_MISSING_SEMICOLON", "MULTIPART_INVALID_QUOTING", "MULTIPART_INVALID_PART",
        "MULTIPART_INVALID_HEADER_FOLDING", "MULTIPART_FILE_LIMIT_EXCEEDED", "MULTIPART_UNMATCHED_BOUNDARY",
    ];

    public static TheoryData<string, string, string> FlagBodies => new()
    {
        { "MULTIPART_BOUNDARY_QUOTED", "multipart/form-data; boundary=\"b\"", Field + "--b--\r\n" },
        { "MULTIPART_BOUNDARY_WHITESPACE", "multipart/form-data; boundary =b", Field + "--b--\r\n" },
        { "MULTIPART_MISSING_SEMICOLON", "multipart/form-data boundary=b", Field + "--b--\r\n" },
        { "MULTIPART_DATA_BEFORE", ContentType, "preamble\r\n" + Field + "--b--\r\n" },
        { "MULTIPART_DATA_AFTER", ContentType, Field + "--b--\r\nepilogue" },
        { "MULTIPART_HEADER_FOLDING", ContentType, "--b\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nv\r\n--b--\r\n" },
        { "MULTIPART_INVALID_HEADER_FOLDING", ContentType, "--b\r\nContent-Disposition: form-data;\r\n\vname=\"a\"\r\n\r\nv\r\n--b--\r\n" },
        { "MULTIPART_LF_LINE", ContentType, "--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n" },
        { "MULTIPART_CRLF_LF_LINES", ContentType, "--b\r\nContent-Disposition: form-data; name=\"a\"\n\r\nv\r\n--b--\r\n" },
        { "MULTIPART_INVALID_QUOTING", ContentType, "--b\r\nContent-Disposition: form-data; name='a'\r\n\r\nv\r\n--b--\r\n" },
        { "MULTIPART_INVALID_PART", ContentType, Field + "--b\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n--b--" },
        { "MULTIPART_UNMATCHED_BOUNDARY", ContentType, "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--other\r\n--b--\r\n" },
        {
            "MULTIPART_FILE_LIMIT_EXCEEDED", ContentType,
            "--b\r\nContent-Disposition: form-data; name=\"f1\"; filename=\"1\"\r\n\r\nx\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"f2\"; filename=\"2\"\r\n\r\nx\r\n--b--\r\n"
        },
    };

    [Theory]
    [MemberData(nameof(FlagBodies))]
    public void Parse_AnomalousBody_RaisesExactlyItsFlag(string flag, string contentType, string body)
    {
        var result = Parse(body, contentType, new MultipartLimits { MaxFiles = 1 });

        Assert.Null(result.Error);
        Assert.Equal("1", result.Variables[flag]);
        var expectedStrict = flag is "MULTIPART_UNMATCHED_BOUNDARY" ? "0" : "1";
        Assert.Equal(expectedStrict, result.Variables["MULTIPART_STRICT_ERROR"]);
        var implied = flag switch
        {
            "MULTIPART_INVALID_HEADER_FOLDING" => "MULTIPART_HEADER_FOLDING",
            "MULTIPART_CRLF_LF_LINES" => "MULTIPART_LF_LINE",
            _ => flag,
        };
        var others = AllFlags.Where(f => f != flag && f != implied && f != "MULTIPART_STRICT_ERROR");
        Assert.All(others, other => Assert.Equal("0", result.Variables[other]));
    }

    [Fact]
    public void Parse_CleanBody_RaisesNoFlag()
    {
        var result = Parse(Field + "--b--\r\n");
        Assert.Null(result.Error);
        Assert.All(AllFlags, flag => Assert.Equal("0", result.Variables[flag]));
        Assert.Equal("1", result.Variables["MULTIPART_CRLF_LINE"]);
    }

    [Fact]
    public void Parse_LfOnlyBody_StillParses()
    {
        // Bare LF is tolerated (with MULTIPART_LF_LINE), as in ModSecurity.
        var result = Parse("--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n");
        Assert.Null(result.Error);
        Assert.Equal("a=v", BodyAssert.Render(result.Arguments));
        Assert.Equal("0", result.Variables["MULTIPART_CRLF_LF_LINES"]);
    }

    [Fact]
    public void Parse_SingleQuoteInsideDoubleQuotedName_IsNotInvalidQuoting()
    {
        // ModSecurity 2.9.6+: only unquoted or single-quoted values holding ' are suspicious.
        var result = Parse(Fields(("it's", "v")));
        Assert.Null(result.Error);
        Assert.Equal("0", result.Variables["MULTIPART_INVALID_QUOTING"]);
        Assert.Equal("1", Parse(Crlf("--b\nContent-Disposition: form-data; name=it's\n\nv\n--b--\n")).Variables["MULTIPART_INVALID_QUOTING"]);
    }

    [Fact]
    public void Parse_DashDashLineInValue_FlagsUnmatchedBoundaryOnly()
    {
        // An SQL comment at a line start looks like a foreign boundary to ModSecurity; not a strict error.
        var result = Parse(Fields(("q", "select 1\r\n-- comment")));
        Assert.Null(result.Error);
        Assert.Equal("select 1\r\n-- comment", Assert.Single(result.Arguments).Value);
        Assert.Equal("1", result.Variables["MULTIPART_UNMATCHED_BOUNDARY"]);
        Assert.Equal("0", result.Variables["MULTIPART_STRICT_ERROR"]);
    }

    [Theory]
    [InlineData("x--b", "1")]
    [InlineData("a--c--b", "1")]
    [InlineData("a--c-b", "0")]
    public void Parse_BoundaryInsideALine_FlagsUnmatchedBoundary(string value, string expected)
    {
        var result = Parse(Fields(("v", value)));
        Assert.Null(result.Error);
        Assert.Equal(value, Assert.Single(result.Arguments).Value);
        Assert.Equal(expected, result.Variables["MULTIPART_UNMATCHED_BOUNDARY"]);
    }

    [Fact]
    public void Parse_FilesWithinLimit_DoNotRaiseFileLimit()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"f1\"; filename=\"1\"\r\n\r\nx\r\n--b--\r\n";
        Assert.Equal("0", Parse(body, limits: new MultipartLimits { MaxFiles = 1 }).Variables["MULTIPART_FILE_LIMIT_EXCEEDED"]);
    }
}
