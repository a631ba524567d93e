using System.Text;

namespace Portcullis.CrsTest;

/// <summary>
/// go-ftw's <c>encodeDataParameters</c>: when the Content-Type is exactly <c>application/x-www-form-urlencoded</c>
/// (compared case-insensitively, so "...; charset=utf-8" is left alone) and the body does not look encoded already,
/// each <c>key=value</c> pair is percent-encoded with Go's <c>url.QueryEscape</c>, keeping the '&amp;' and first '='.
/// </summary>
internal static class FtwFormEncoder
{
    private const string FormType = "application/x-www-form-urlencoded";

    public static byte[] EncodeIfNeeded(IReadOnlyList<FtwHeader> headers, byte[] data)
    {
        if (data.Length == 0 || !headers.Any(h => GoHeaderKey.SameHeader(h.Name, "Content-Type")
                && string.Equals(h.Value, FormType, StringComparison.OrdinalIgnoreCase)))
        {
            return data;
        }
        // go-ftw asks url.QueryUnescape whether decoding changes anything: it does exactly when the data holds a
        // '+' or a '%' (a valid escape decodes, an invalid one fails), so such data is taken as already encoded.
        if (data.AsSpan().IndexOfAny((byte)'%', (byte)'+') >= 0)
        {
            return data;
        }
        var output = new List<byte>(data.Length * 2);
        var remaining = data.AsSpan();
        while (remaining.Length > 0)
        {
            var amp = remaining.IndexOf((byte)'&');
            var token = amp < 0 ? remaining : remaining[..amp];
            remaining = amp < 0 ? [] : remaining[(amp + 1)..];
            var eq = token.IndexOf((byte)'=');
            if (eq < 0)
            {
                QueryEscape(token, output);
            }
            else
            {
                QueryEscape(token[..eq], output);
                output.Add((byte)'=');
                QueryEscape(token[(eq + 1)..], output);
            }
            output.Add((byte)'&');
        }
        // go-ftw strips the one trailing '&' it appended, so a trailing '&' of the input is lost too.
        output.RemoveAt(output.Count - 1);
        return [.. output];
    }

    /// <summary>Go's <c>url.QueryEscape</c>: unreserved bytes stay, space becomes '+', the rest %XX (upper-case).</summary>
    public static void QueryEscape(ReadOnlySpan<byte> value, List<byte> output)
    {
        foreach (var b in value)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                output.Add(b);
            }
            else if (b == (byte)' ')
            {
                output.Add((byte)'+');
            }
            else
            {
                output.Add((byte)'%');
                output.Add((byte)"0123456789ABCDEF"[b >> 4]);
                output.Add((byte)"0123456789ABCDEF"[b & 0xF]);
            }
        }
    }

    public static string QueryEscape(string value)
    {
        var output = new List<byte>();
        QueryEscape(Encoding.UTF8.GetBytes(value), output);
        return Encoding.ASCII.GetString([.. output]);
    }
}
