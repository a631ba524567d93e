using Portcullis.Waf.BodyProcessors;
using static Portcullis.Waf.Tests.BodyProcessors.MultipartBodies;

namespace Portcullis.Waf.Tests.BodyProcessors;

/// <summary>Every way ModSecurity v2's multipart processor gives up, with its message.</summary>
public sealed class MultipartErrorTests
{
    private const string Body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b--\r\n";

    [Theory]
    [InlineData("multipart/form-data", "Multipart: Boundary not found in C-T.")]
    [InlineData("multipart/form-data; BOUNDARY=b", "Multipart: Invalid boundary in C-T (case sensitivity).")]
    [InlineData("multipart/form-data; boundary=b; boundary=c", "Multipart: Multiple boundary parameters in C-T.")]
    [InlineData("multipart/mixed; boundary=b", "Multipart: Invalid MIME type.")]
    [InlineData("application/x-www-form-urlencoded; boundary=b", "Multipart: Invalid MIME type.")]
    [InlineData("multipart/form-data; boundary=\"b", "Multipart: Invalid boundary in C-T (quote).")]
    [InlineData("multipart/form-data; boundary=b\"", "Multipart: Invalid boundary in C-T (quote).")]
    [InlineData("multipart/form-data; boundary=b; charset=utf-8", "Multipart: Invalid boundary in C-T (characters).")]
    [InlineData("multipart/form-data; boundary=b{", "Multipart: Invalid boundary in C-T (characters).")]
    [InlineData("multipart/form-data; boundary=b ", "Multipart: Invalid boundary in C-T (characters).")]
    [InlineData("multipart/form-data; charset=utf-8; boundary=b", "Multipart: Invalid boundary in C-T (malformed).")]
    [InlineData("multipart/form-data;; boundary=b", "Multipart: Invalid boundary in C-T (malformed).")]
    [InlineData("multipart/form-data; boundary", "Multipart: Invalid boundary in C-T (malformed).")]
    [InlineData("multipart/form-data; boundaryx=b", "Multipart: Invalid boundary in C-T (parameter name).")]
    [InlineData("multipart/form-data; boundary=", "Multipart: Invalid boundary in C-T (empty).")]
    [InlineData("multipart/form-data; boundary=\"\"", "Multipart: Invalid boundary in C-T (empty).")]
    public void Parse_UnusableContentType_IsAnInitError(string contentType, string expected)
    {
        var result = Parse(Body, contentType);
        Assert.Equal(expected, result.Error);
        Assert.Equal("1", result.Variables["MULTIPART_STRICT_ERROR"]);
        Assert.Empty(result.Arguments);
    }

    [Fact]
    public void Parse_OverlongContentType_IsAnInitError() =>
        Assert.Equal("Multipart: Invalid boundary in C-T (length).", Parse(Body, ContentType + new string('x', 1024)).Error);

    [Theory]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n", "Multipart: Final boundary missing.")]
    [InlineData("just text", "Multipart: No boundaries found in payload.")]
    [InlineData("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--b-", "Multipart: Final boundary missing.")]
    public void Parse_Unterminated_IsACompletionError(string body, string expected)
    {
        var result = Parse(body);
        Assert.Equal("Multipart parsing error: " + expected, result.Error);
        // ModSecurity raises flag_error only for errors while reading, not for these found at the end.
        Assert.Equal("0", result.Variables["MULTIPART_STRICT_ERROR"]);
    }

    [Theory]
    [InlineData("--b\nNo colon here\n\nv\n--b--\n", "Multipart: Invalid part header (colon missing): No colon here\\x0d\\x0a.")]
    [InlineData("--b\n: value\n\nv\n--b--\n", "Multipart: Invalid part header (header name missing).")]
    [InlineData("--b\n\u000eContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n", "Multipart: Invalid part header (contains invalid character).")]
    [InlineData("--b\nContent Disposition: form-data; name=\"a\"\n\nv\n--b--\n", "Multipart: Invalid part header (contains invalid character).")]
    [InlineData("--b\nContent-Dispos\u00e9tion: form-data; name=\"a\"\n\nv\n--b--\n", "Multipart: Invalid part header (contains invalid character).")]
    [InlineData("--b\nContent-Type: text/plain\n\nv\n--b--\n", "Multipart: Part missing Content-Disposition header.")]
    [InlineData("--b\nContent-Disposition: attachment; name=\"a\"\n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (-1): attachment; name=\"a\".")]
    [InlineData("--b\nContent-Disposition: form-data name=\"a\"\n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (-2): form-data name=\"a\".")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\"; size=3\n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (-11): form-data; name=\"a\"; size=3.")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\"; filename*=UTF-8''x\n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (-11): form-data; name=\"a\"; filename*=UTF-8''x.")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\" x\n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (-12): form-data; name=\"a\" x.")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (-14): form-data; name=\"a\"; name=\"b\".")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\"; filename=\"1\"; filename=\"2\"\n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (-15): form-data; name=\"a\"; filename=\"1\"; filename=\"2\".")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (-10): form-data; name=\"a.")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\"; \n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (-3): form-data; name=\"a\"; .")]
    [InlineData("--b\nContent-Disposition: form-data\n\nv\n--b--\n", "Multipart: Content-Disposition header missing name field.")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\"; filename =\"x\"\n\nv\n--b--\n", "Multipart: Invalid Content-Disposition header (filename).")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\"\ncontent-disposition: form-data; name=\"b\"\n\nv\n--b--\n", "Multipart: Duplicate part header: content-disposition.")]
    [InlineData("--b\n name=\"a\"\n\nv\n--b--\n", "Multipart: Invalid part header (folding error).")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\"\nX: a\0b\n\nv\n--b--\n", "Multipart: Nul byte in part headers.")]
    [InlineData("--bX\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n", "Multipart: Invalid boundary: --bX\\x0d\\x0a")]
    [InlineData("--b \nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n", "Multipart: Invalid boundary: --b \\x0d\\x0a")]
    [InlineData("-- b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b--\n", "Multipart: Invalid boundary (whitespace).")]
    [InlineData("--b\nContent-Disposition: form-data; name=\"a\"\n\nv\n--b\n--b--\n", "Multipart: Invalid part header (colon missing): --b--\\x0d\\x0a.")]
    public void Parse_MalformedPart_IsAParseError(string body, string expected)
    {
        var result = Parse(Crlf(body));
        Assert.Equal("Multipart parsing error: " + expected, result.Error);
        Assert.Equal("1", result.Variables["MULTIPART_STRICT_ERROR"]);
    }

    [Fact]
    public void Parse_QuotedBoundaryUsedWithQuotes_IsAnError()
    {
        var result = Parse(Crlf("--\"b\"\nContent-Disposition: form-data; name=\"a\"\n\nv\n--\"b\"--\n"), "multipart/form-data; boundary=\"b\"");
        Assert.Equal("Multipart parsing error: Multipart: Invalid boundary (quotes).", result.Error);
    }

    [Fact]
    public void Parse_HeaderLineOf4096Bytes_IsAnError()
    {
        var header = "X-Long: " + new string('a', MultipartReader.BufferSize);
        var result = Parse(Crlf($"--b\nContent-Disposition: form-data; name=\"a\"\n{header}\n\nv\n--b--\n"));
        Assert.Equal("Multipart parsing error: Multipart: Part header line over 4096 bytes long", result.Error);
    }

    [Fact]
    public void Parse_FoldedHeaderOver4096Bytes_IsAnError()
    {
        var fold = " " + new string('a', 3000);
        var result = Parse(Crlf($"--b\nContent-Disposition: form-data; name=\"a\"\nX: 1\n{fold}\n{fold}\n\nv\n--b--\n"));
        Assert.Equal("Multipart parsing error: Multipart: Part header too long.", result.Error);
    }

    [Fact]
    public void Parse_CrsInvalidCharacterTest_ReportsTheMessageCrsMatches()
    {
        // CRS 922130 test 1 accepts either this parse error in the log or rule 922130 firing.
        var result = Parse(Crlf("--boundary\n\u000eContent-Disposition: form-data; name=\"file\"; filename=\"1.php\"\nContent-Disposition: form-data; name=\"post\"\n\n<?php var_dump(file_get_contents(\"/etc/passwd\"));\n--boundary--"),
            "multipart/form-data; boundary=boundary");
        Assert.Matches(@"Multipart parsing error: Multipart: Invalid part header \(contains invalid character\)", result.Error);
    }
}
