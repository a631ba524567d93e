namespace Portcullis.Waf.BodyProcessors;

/// <summary>Settings of the XML processor.</summary>
internal sealed record XmlBodyOptions
{
    public static XmlBodyOptions Default { get; } = new();

    /// <summary>
    /// Whether a DOCTYPE is parsed (ModSecurity v2 with SecXmlExternalEntity Off: internal entities expanded, external
    /// ones never fetched) or refused as a body error (the default). No CRS 4.28 regression test sends an XML body with
    /// a DOCTYPE; requests that carry one are XXE and entity-expansion attempts (66 of the 99 XML attacks in the dev
    /// corpus), SOAP forbids DTDs, and with the CRS setup a body error is a 400, so refusing is the safe default.
    /// </summary>
    public bool AllowDoctype { get; init; }

    /// <summary>Element nesting beyond this is an error. 256 is libxml2's default limit without XML_PARSE_HUGE.</summary>
    public int MaxDepth
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDepth), value, "must be 1 or more");
    } = 256;

    /// <summary>
    /// Characters internal entities may expand to in total (only with <see cref="AllowDoctype"/>): a billion-laughs
    /// DTD of a few hundred bytes otherwise expands to gigabytes.
    /// </summary>
    public long MaxEntityExpansion
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxEntityExpansion), value, "must be 1 or more");
    } = 1 << 20;
}
