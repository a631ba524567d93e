namespace Portcullis.Waf.SecLang;

/// <summary>A rule's operator as written: <c>@rx ...</c>, <c>!@within ...</c>; a bare pattern means <c>@rx</c>.</summary>
public sealed record OperatorSpec(string Name, string Parameter, bool Negated);
