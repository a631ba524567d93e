namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// What a request body processor extracted. Every string holds one byte per char (Latin-1 mapping of the raw or
/// UTF-8 re-encoded bytes, notes/waf.md §2). A processor never throws on malformed input: it sets <see cref="Error"/>
/// (the engine turns it into <c>REQBODY_ERROR=1</c> and <c>REQBODY_ERROR_MSG</c>) and keeps whatever it parsed
/// before the error, so rules still see it in detection-only mode.
/// </summary>
internal sealed class BodyParseResult
{
    /// <summary>ARGS_POST (and ARGS) in body order; duplicates kept.</summary>
    public List<KeyValuePair<string, string>> Arguments { get; } = [];

    /// <summary>Multipart file parts (FILES, FILES_NAMES, FILES_SIZES, FILES_COMBINED_SIZE).</summary>
    public List<UploadedFile> Files { get; } = [];

    /// <summary>MULTIPART_PART_HEADERS: key = part name, value = one whole header line ("Content-Type: text/plain").</summary>
    public List<KeyValuePair<string, string>> PartHeaders { get; } = [];

    /// <summary>Single variables by ModSecurity name ("MULTIPART_STRICT_ERROR" → "1"); names are case-insensitive.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// <c>XML:/*</c> as ModSecurity v2 computes it: libxml2's <c>xmlNodeGetContent</c> of the root element, i.e. all
    /// descendant text and CDATA concatenated (whitespace included) — one entry once a root element was seen.
    /// </summary>
    public List<string> XmlText { get; } = [];

    /// <summary>
    /// Each text or CDATA node on its own, whitespace-only nodes left out: what Coraza offers as <c>XML:/*</c>. Kept
    /// beside <see cref="XmlText"/> because anchored patterns (931100's <c>^(?:ftp|https?)://</c>) only see a payload
    /// in the second of two elements when the nodes stay apart; the engine decides which view it inspects.
    /// </summary>
    public List<string> XmlTextNodes { get; } = [];

    /// <summary><c>XML://@*</c>: every attribute value in document order (namespace declarations are not attributes in XPath).</summary>
    public List<string> XmlAttributeValues { get; } = [];

    /// <summary>REQBODY_ERROR_MSG; null = no error.</summary>
    public string? Error { get; set; }
}
