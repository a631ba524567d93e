namespace Portcullis.Waf.Variables;

/// <summary>
/// A rule's targets and exclusions when they only read request (or response) collections that stop changing once
/// parsed: ARGS, headers, cookies, files, XML. Rules with the same ones share one instance (CRS repeats
/// <c>REQUEST_COOKIES|!REQUEST_COOKIES:/__utm/|REQUEST_COOKIES_NAMES|ARGS_NAMES|ARGS|XML:/*</c> on most of its
/// attack rules), so a transaction collects those values once and every such rule reads the same list, until one
/// of those request variables changes (the body's arguments arriving in phase 2, for instance: see
/// <see cref="VariableStore.CollectShared"/>). Single values parsed from
/// the request (REQUEST_FILENAME, REQUEST_BODY, ...) count too: CRS's XSS rules add REQUEST_FILENAME to that list.
/// </summary>
internal sealed class TargetSet(int slot)
{
    /// <summary>Index of this set's entry in a transaction's cache.</summary>
    public int Slot { get; } = slot;

    /// <summary>
    /// The stored lists the targets read whole (<see cref="ValuePart"/>), when every target reads whole lists: the
    /// selection is then, exclusions aside, all of their values, so what the engine derives from each part (the
    /// literals its values hold once transformed, <see cref="Transactions.ViewLiterals"/>) covers every set that
    /// reads it. Null when a target picks keys (<c>REQUEST_HEADERS:Referer</c>) or counts (<c>&amp;ARGS</c>).
    /// <c>XML:/*</c> counts as whole: its key is an XPath, and every XML value is a superset of what it selects.
    /// </summary>
    public ValuePart[]? Parts { get; init; }

    /// <summary>The <see cref="Parts"/> of a set with these targets, or null.</summary>
    public static ValuePart[]? PartsOf(IEnumerable<RuleTarget> targets) =>
        targets.All(t => !t.Count && (t.SelectsAllKeys || t.Variable == VariableName.Xml))
            ? targets.SelectMany(t => ValuePart.Of(t.Variable)).Distinct().ToArray()
            : null;

    /// <summary>Collections a target set may read: filled by parsing the request or response, never by rule actions.</summary>
    public static bool IsStable(VariableName variable) => variable switch
    {
        VariableName.Args or VariableName.ArgsGet or VariableName.ArgsPost or VariableName.ArgsNames or VariableName.ArgsGetNames
            or VariableName.ArgsPostNames or VariableName.RequestHeaders or VariableName.RequestHeadersNames or VariableName.RequestCookies
            or VariableName.RequestCookiesNames or VariableName.ResponseHeaders or VariableName.ResponseHeadersNames or VariableName.Files
            or VariableName.FilesNames or VariableName.FilesSizes or VariableName.FilesTmpNames or VariableName.MultipartPartHeaders
            or VariableName.Xml => true,
        // Single values the engine sets while parsing the request line and body; no rule action can change them.
        VariableName.RequestMethod or VariableName.RequestLine or VariableName.RequestUri or VariableName.RequestUriRaw
            or VariableName.RequestFilename or VariableName.RequestBasename or VariableName.RequestProtocol or VariableName.QueryString
            or VariableName.RemoteAddr or VariableName.RemoteHost or VariableName.ServerName or VariableName.RequestBody => true,
        _ => false,
    };
}
