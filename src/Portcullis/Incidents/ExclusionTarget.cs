namespace Portcullis.Incidents;

/// <summary>
/// The narrowest exclusion target for a matched variable. A match on one argument, cookie, header or file names it
/// (<c>ARGS:comment</c>, <c>ARGS_NAMES:x</c>, <c>REQUEST_COOKIES:prefs</c>, <c>REQUEST_HEADERS:User-Agent</c>, JSON
/// bodies as <c>ARGS:json.a.b</c>), and removing exactly that target from the rule is what ModSecurity's
/// <c>ctl:ruleRemoveTargetById=ID;ARGS:comment</c> does. Variables with no key (REQUEST_URI, REQUEST_FILENAME,
/// REQUEST_LINE, REQUEST_BODY, QUERY_STRING) or derived ones (TX) have nothing narrower: null.
/// </summary>
internal static class ExclusionTarget
{
    /// <summary>Collections whose members a rule can be told to skip one by one; the engine names a match COLLECTION:key.</summary>
    private static readonly HashSet<string> Keyed = new(StringComparer.Ordinal)
    {
        "ARGS", "ARGS_GET", "ARGS_POST", "ARGS_NAMES", "ARGS_GET_NAMES", "ARGS_POST_NAMES",
        "REQUEST_COOKIES", "REQUEST_COOKIES_NAMES", "REQUEST_HEADERS", "REQUEST_HEADERS_NAMES",
        "FILES", "FILES_NAMES", "MULTIPART_PART_HEADERS", "XML", "RESPONSE_HEADERS", "RESPONSE_HEADERS_NAMES",
    };

    public static string? Narrow(string variable)
    {
        var colon = variable.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < variable.Length - 1 && Keyed.Contains(variable[..colon]) ? variable : null;
    }
}
