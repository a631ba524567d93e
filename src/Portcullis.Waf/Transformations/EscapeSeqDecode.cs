namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:escapeSeqDecode</c> — ANSI C escapes (ModSecurity v2 <c>ansi_c_sequences_decode_inplace</c>):
/// <c>\a \b \f \n \r \t \v \\ \? \' \"</c>, <c>\xHH</c> (also <c>\XHH</c>), <c>\O</c>–<c>\OOO</c> (the low byte
/// of the value, so <c>\777</c> is 0xFF). Any other escape, including a malformed <c>\x</c>, drops the backslash
/// and keeps the next char; a trailing backslash is kept. Example: <c>\x41\102\n\q</c> → <c>AB</c>+LF+<c>q</c>.
/// </summary>
internal sealed class EscapeSeqDecode : Transformation
{
    public static readonly EscapeSeqDecode Instance = new();

    private EscapeSeqDecode()
    {
    }

    public override string Name => "escapeSeqDecode";

    public override bool NeverLengthens => true;

    /// <summary>Every escape starts with a backslash; a value without one comes back as it is.</summary>
    public override string? Triggers => "\\";

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        var first = span.IndexOf('\\');
        if (first < 0 || first == span.Length - 1)
        {
            return input;
        }
        var output = new Latin1Builder(stackalloc char[256]);
        try
        {
            output.EnsureCapacity(span.Length);
            output.Append(span[..first]);
            var i = first;
            while (i < span.Length)
            {
                if (span[i] != '\\' || i + 1 >= span.Length)
                {
                    output.Append(span[i]);
                    i++;
                    continue;
                }
                var next = span[i + 1];
                var simple = SimpleEscape(next);
                if (simple >= 0)
                {
                    output.Append((char)simple);
                    i += 2;
                }
                else if (next is 'x' or 'X' && i + 3 < span.Length && CType.IsHexDigit(span[i + 2])
                         && CType.IsHexDigit(span[i + 3]))
                {
                    output.Append(CType.HexPair(span[i + 2], span[i + 3]));
                    i += 4;
                }
                else if (CType.IsOctalDigit(next))
                {
                    var digits = OctalEscape.CountDigits(span, i + 1);
                    output.Append((char)(OctalEscape.Value(span.Slice(i + 1, digits)) & 0xFF));
                    i += 1 + digits;
                }
                else
                {
                    output.Append(next);
                    i += 2;
                }
            }
            return output.ToString();
        }
        finally
        {
            output.Dispose();
        }
    }

    private static int SimpleEscape(char c) => c switch
    {
        'a' => '\a',
        'b' => '\b',
        'f' => '\f',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\v',
        '\\' or '?' or '\'' or '"' => c,
        _ => -1,
    };
}
