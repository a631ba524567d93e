using Portcullis.Waf.BodyProcessors;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Fills the request-line variables as ModSecurity v2 does: REQUEST_URI and REQUEST_URI_RAW keep the target as
/// received (no decoding; an absolute-form target keeps only its path in REQUEST_URI), REQUEST_FILENAME is the
/// path without the query, REQUEST_BASENAME its last segment, QUERY_STRING what follows '?', ARGS_GET parsed from it.
/// </summary>
internal static class RequestLine
{
    public static void Apply(VariableStore variables, string method, string uri, string protocol, int argumentsLimit)
    {
        variables.Set(VariableName.RequestMethod, method);
        variables.Set(VariableName.RequestProtocol, protocol);
        variables.Set(VariableName.RequestLine, method + " " + uri + " " + protocol);
        variables.Set(VariableName.RequestUriRaw, uri);

        var relative = uri;
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && uri.IndexOf('/') > scheme && !uri.StartsWith('/'))
        {
            var pathStart = uri.IndexOf('/', scheme + 3);
            relative = pathStart < 0 ? "/" : uri[pathStart..];
        }
        variables.Set(VariableName.RequestUri, relative);

        var query = relative.IndexOf('?');
        var path = query < 0 ? relative : relative[..query];
        var fragment = path.IndexOf('#');
        if (fragment >= 0)
        {
            path = path[..fragment];
        }
        // The path is percent-decoded (not '+'), as the reference servers hand it to the engine (Apache's r->uri,
        // Go's URL.Path for Coraza): CRS matches "array_diff%20%28" in REQUEST_FILENAME with t:none.
        var filename = PercentDecode(path);
        variables.Set(VariableName.RequestFilename, filename);
        var slash = filename.LastIndexOf('/');
        variables.Set(VariableName.RequestBasename, slash < 0 ? filename : filename[(slash + 1)..]);
        if (query >= 0)
        {
            var queryString = relative[(query + 1)..];
            variables.Set(VariableName.QueryString, queryString);
            var arguments = new List<KeyValuePair<string, string>>();
            UrlEncodedParser.Parse(System.Text.Encoding.Latin1.GetBytes(queryString), arguments);
            var argsGet = variables.Collection(VariableName.ArgsGet);
            var repeated = RepeatedValues.Current;
            foreach (var (name, value) in arguments.Take(argumentsLimit))
            {
                // An application's argument names come back request after request (RepeatedValues); values do not.
                argsGet.Add(repeated.Keep(name), value);
            }
        }
        else
        {
            variables.Set(VariableName.QueryString, "");
        }
    }

    /// <summary>%XX → byte; an invalid or cut-short escape stays as written.</summary>
    private static string PercentDecode(string text)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }
        var result = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                result.Append((char)Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                result.Append(text[i]);
            }
        }
        return result.ToString();
    }
}
