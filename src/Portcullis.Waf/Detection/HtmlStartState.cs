namespace Portcullis.Waf.Detection;

/// <summary>
/// Where in a page the input is assumed to land: in text, right after an unquoted attribute value, or inside a
/// single-, double- or back-quoted (old IE) attribute value. An injection breaks out of one of these.
/// </summary>
internal enum HtmlStartState
{
    Data,
    AfterUnquotedValue,
    SingleQuotedValue,
    DoubleQuotedValue,
    BackQuotedValue,
}
