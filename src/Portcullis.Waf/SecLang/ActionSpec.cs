namespace Portcullis.Waf.SecLang;

/// <summary>One action as written: <c>id:942100</c>, <c>msg:'...'</c> (quotes removed), <c>block</c> (no value).</summary>
public sealed record ActionSpec(string Name, string? Value);
