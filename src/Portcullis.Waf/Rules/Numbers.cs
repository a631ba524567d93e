namespace Portcullis.Waf.Rules;

/// <summary>ModSecurity reads numbers with C's atoi: optional sign, leading digits, anything else ends it (or is 0).</summary>
internal static class Numbers
{
    public static long ParseLeadingInteger(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }
        var i = 0;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r' or '\v' or '\f')
        {
            i++;
        }
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-')
        {
            negative = text[i] == '-';
            i++;
        }
        long value = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            value = Math.Min(value * 10 + (text[i] - '0'), long.MaxValue / 20);
            i++;
        }
        return negative ? -value : value;
    }
}
