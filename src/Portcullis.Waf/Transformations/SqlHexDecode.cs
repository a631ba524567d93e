namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:sqlHexDecode</c> — decodes SQL hex literals (ModSecurity v2 <c>sql_hex2bytes_inplace</c>): <c>0x</c>
/// followed by at least one hex pair becomes those bytes; <c>0x</c> without a pair stays. Example:
/// <c>0x414243 x</c> → <c>ABC x</c>.
/// </summary>
internal sealed class SqlHexDecode : Transformation
{
    public static readonly SqlHexDecode Instance = new();

    private SqlHexDecode()
    {
    }

    public override string Name => "sqlHexDecode";

    public override bool NeverLengthens => true;

    public override string Apply(string input)
    {
        var span = input.AsSpan();
        if (span.IndexOf('0') < 0)
        {
            return input;
        }
        var output = new Latin1Builder(stackalloc char[256]);
        try
        {
            output.EnsureCapacity(span.Length);
            var changed = false;
            var i = 0;
            while (i < span.Length)
            {
                if (span[i] == '0' && i + 3 < span.Length && span[i + 1] is 'x' or 'X'
                    && CType.IsHexDigit(span[i + 2]) && CType.IsHexDigit(span[i + 3]))
                {
                    i += 2;
                    while (i + 1 < span.Length && CType.IsHexDigit(span[i]) && CType.IsHexDigit(span[i + 1]))
                    {
                        output.Append(CType.HexPair(span[i], span[i + 1]));
                        i += 2;
                    }
                    changed = true;
                    continue;
                }
                output.Append(span[i]);
                i++;
            }
            return changed ? output.ToString() : input;
        }
        finally
        {
            output.Dispose();
        }
    }
}
