using System.Text;
using Portcullis.Waf.BodyProcessors;

namespace Portcullis.Waf.Tests.BodyProcessors;

/// <summary>Builds multipart test bodies: "\n" becomes "\r\n" the way go-ftw sends CRS's multipart tests.</summary>
internal static class MultipartBodies
{
    public const string ContentType = "multipart/form-data; boundary=b";

    public static string Crlf(string text) => text.Replace("\n", "\r\n", StringComparison.Ordinal);

    public static BodyParseResult Parse(string body, string contentType = ContentType, MultipartLimits? limits = null) =>
        MultipartParser.Parse(Encoding.Latin1.GetBytes(body), contentType, limits ?? MultipartLimits.Default);

    /// <summary>A well-formed CRLF body with one field per (name, value).</summary>
    public static string Fields(params (string Name, string Value)[] fields)
    {
        var body = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            body.Append("--b\r\nContent-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n").Append(value).Append("\r\n");
        }
        return body.Append("--b--\r\n").ToString();
    }
}
