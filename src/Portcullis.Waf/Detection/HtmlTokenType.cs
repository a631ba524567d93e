namespace Portcullis.Waf.Detection;

/// <summary>What <see cref="HtmlTokenizer"/> reports; text between tags is skipped, it cannot run script.</summary>
internal enum HtmlTokenType
{
    TagOpen,
    TagEnd,
    TagClose,
    AttributeName,
    AttributeValue,
    Comment,
    Doctype,
}
