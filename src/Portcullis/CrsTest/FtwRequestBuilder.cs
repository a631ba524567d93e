using System.Globalization;
using System.Text;

namespace Portcullis.CrsTest;

/// <summary>
/// Builds the bytes go-ftw puts on the wire for a stage (<c>ftwhttp.BuildRequest</c>, go-ftw v2 with ordered headers):
/// <list type="number">
/// <item><c>encoded_request</c> is sent verbatim and nothing else applies.</item>
/// <item>Otherwise <c>METHOD URI VERSION\r\n</c>, with go-ftw's defaults for absent fields, then the headers.</item>
/// <item>With <c>autocomplete_headers</c> and a body: <c>Content-Type: application/x-www-form-urlencoded</c> is
/// appended when no Content-Type exists, and form data is percent-encoded (<see cref="FtwFormEncoder"/>).</item>
/// <item>Whenever a Content-Type contains <c>multipart/form-data;</c> every LF of the body becomes CRLF, even with
/// autocompletion off and even where a CR already precedes it (go-ftw's blind <c>bytes.ReplaceAll</c>).</item>
/// <item>With <c>autocomplete_headers</c>: <c>Connection: close</c> unless a Connection header exists, then
/// <c>Content-Length</c> unless one exists, when there is a body or the method matches go-ftw's unanchored
/// <c>^POST|PUT|PATCH|DELETE$</c>.</item>
/// </list>
/// Strings are written as UTF-8, as Go writes its strings. Cookies from <c>save_cookie</c> are never added: go-ftw
/// keeps a cookie jar but does not send from it.
/// </summary>
internal static class FtwRequestBuilder
{
    public static byte[] Build(FtwInput input)
    {
        if (input.EncodedRequest is { Length: > 0 } raw)
        {
            return [.. raw];
        }
        var headers = new List<FtwHeader>(input.Headers);
        var body = input.Data is not null ? Encoding.UTF8.GetBytes(input.Data) : input.EncodedData ?? [];
        if (body.Length > 0 && input.AutocompleteHeaders)
        {
            if (!HasAny(headers, "Content-Type"))
            {
                headers.Add(new FtwHeader("Content-Type", "application/x-www-form-urlencoded"));
            }
            body = FtwFormEncoder.EncodeIfNeeded(headers, body);
        }
        if (headers.Any(h => GoHeaderKey.SameHeader(h.Name, "Content-Type")
                && h.Value.Contains("multipart/form-data;", StringComparison.OrdinalIgnoreCase)))
        {
            body = LfToCrLf(body);
        }
        if (input.AutocompleteHeaders)
        {
            if (!HasAny(headers, "Connection"))
            {
                headers.Add(new FtwHeader("Connection", "close"));
            }
            if (!HasAny(headers, "Content-Length") && (body.Length > 0 || MethodMayHaveBody(input.EffectiveMethod)))
            {
                headers.Add(new FtwHeader("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)));
            }
        }
        var head = new StringBuilder();
        head.Append(input.EffectiveMethod).Append(' ').Append(input.EffectiveUri).Append(' ').Append(input.EffectiveVersion).Append("\r\n");
        foreach (var header in headers)
        {
            head.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        }
        head.Append("\r\n");
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        return [.. headBytes, .. body];
    }

    /// <summary>
    /// go-ftw's <c>^POST|PUT|PATCH|DELETE$</c> binds the anchors to the first and last alternative only, so "POSTX"
    /// and "XPUTX" count too; reproduced, since it decides whether a Content-Length: 0 is sent.
    /// </summary>
    internal static bool MethodMayHaveBody(string method) =>
        method.StartsWith("POST", StringComparison.Ordinal)
        || method.Contains("PUT", StringComparison.Ordinal)
        || method.Contains("PATCH", StringComparison.Ordinal)
        || method.EndsWith("DELETE", StringComparison.Ordinal);

    private static bool HasAny(List<FtwHeader> headers, string name) => headers.Any(h => GoHeaderKey.SameHeader(h.Name, name));

    private static byte[] LfToCrLf(byte[] body)
    {
        var count = body.AsSpan().Count((byte)'\n');
        if (count == 0)
        {
            return body;
        }
        var output = new byte[body.Length + count];
        var o = 0;
        foreach (var b in body)
        {
            if (b == (byte)'\n')
            {
                output[o++] = (byte)'\r';
            }
            output[o++] = b;
        }
        return output;
    }
}
