using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Splits a Cookie header into REQUEST_COOKIES as ModSecurity v2 does for version-0 cookies: pairs separated by ';',
/// surrounding spaces dropped, name and value at the first '=', no decoding; a pair without '=' is a name with an
/// empty value.
/// </summary>
internal static class CookieParser
{
    public static void Parse(string header, KeyedValues into)
    {
        foreach (var part in header.Split(';'))
        {
            var pair = part.Trim(' ', '\t');
            if (pair.Length == 0)
            {
                continue;
            }
            var equals = pair.IndexOf('=');
            if (equals < 0)
            {
                into.Add(pair, "");
            }
            else
            {
                into.Add(pair[..equals].TrimEnd(' ', '\t'), pair[(equals + 1)..].TrimStart(' ', '\t'));
            }
        }
    }
}
