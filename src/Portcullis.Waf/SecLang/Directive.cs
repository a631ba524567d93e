namespace Portcullis.Waf.SecLang;

/// <summary>
/// One configuration directive as written: its name and its arguments after Apache-style word splitting and
/// unquoting, with the file and line where it starts (for every error message about it).
/// </summary>
public sealed record Directive(string Name, IReadOnlyList<string> Arguments, string File, int Line)
{
    public override string ToString() => $"{File}:{Line}: {Name} {string.Join(' ', Arguments.Select(a => "\"" + a + "\""))}";
}
