namespace Portcullis.Waf.Transformations;

/// <summary>The <c>\OOO</c> scanning shared by jsDecode and escapeSeqDecode.</summary>
internal static class OctalEscape
{
    /// <summary>How many octal digits (at most three) start at <paramref name="start"/>.</summary>
    public static int CountDigits(ReadOnlySpan<char> span, int start)
    {
        var count = 0;
        while (count < 3 && start + count < span.Length && CType.IsOctalDigit(span[start + count]))
        {
            count++;
        }
        return count;
    }

    public static int Value(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            value = (value << 3) | (digit - '0');
        }
        return value;
    }
}
