using Microsoft.Extensions.Primitives;

namespace Portcullis.Observability;

/// <summary>Request ids: 32 lowercase hex characters (a v4 GUID: 122 random bits), like nginx's $request_id.</summary>
internal static class RequestIds
{
    public static string New() => Guid.NewGuid().ToString("N");

    /// <summary>An id sent by a trusted proxy is kept when it is one short token of safe characters (it goes into logs and headers).</summary>
    public static bool IsAcceptable(StringValues value)
    {
        if (value.Count != 1 || value[0] is not { Length: > 0 and <= 128 } id)
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }
        return true;
    }
}
