namespace Portcullis.Waf.SecLang;

/// <summary>A rule file that cannot be read as SecLang: where, what, and the text in question.</summary>
public sealed class SecLangSyntaxException(string file, int line, string message, string text)
    : Exception($"{file}:{line}: {message}: {text}")
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string Text { get; } = text;
}
