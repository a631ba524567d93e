namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// ASCII-only case folding. PCRE in byte mode with the C locale folds only A-Z under <c>(?i)</c>, never é/É
/// (notes/waf.md §3), so bytes ≥ 0x80 must stay as they are.
/// </summary>
internal static class AsciiCase
{
    public static char Lower(char c) => c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;

    public static string Lower(string value)
    {
        var span = value.AsSpan();
        var firstUpper = span.IndexOfAnyInRange('A', 'Z');
        if (firstUpper < 0)
        {
            return value;
        }
        return string.Create(value.Length, value, static (target, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                target[i] = Lower(source[i]);
            }
        });
    }
}
