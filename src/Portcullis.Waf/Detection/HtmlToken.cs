namespace Portcullis.Waf.Detection;

/// <summary>One HTML token: its kind and where its text (a name, a value or comment body) is in the input.</summary>
internal readonly record struct HtmlToken(HtmlTokenType Type, int Start, int Length);
