namespace Portcullis.Waf.Transformations;

/// <summary>The standard base64 alphabet (RFC 4648 §4) as a byte → sextet table; -1 for anything else.</summary>
internal static class Base64Alphabet
{
    private static readonly sbyte[] Sextets = Build();

    public static int Sextet(char c) => c < 256 ? Sextets[c] : -1;

    private static sbyte[] Build()
    {
        var table = new sbyte[256];
        Array.Fill(table, (sbyte)-1);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < alphabet.Length; i++)
        {
            table[alphabet[i]] = (sbyte)i;
        }
        return table;
    }

    /// <summary>Packs sextets into bytes; a final group of 2 or 3 sextets gives 1 or 2 bytes, a lone one nothing.</summary>
    public static string Decode(ReadOnlySpan<char> sextetChars, int count)
    {
        var byteCount = (count / 4 * 3) + Math.Max(0, (count % 4) - 1);
        if (byteCount == 0)
        {
            return string.Empty;
        }
        var output = new Latin1Builder(stackalloc char[256]);
        try
        {
            output.EnsureCapacity(byteCount);
            int bits = 0, bitCount = 0, used = 0;
            foreach (var c in sextetChars)
            {
                var sextet = Sextet(c);
                if (sextet < 0)
                {
                    continue;
                }
                bits = (bits << 6) | sextet;
                bitCount += 6;
                if (bitCount >= 8)
                {
                    bitCount -= 8;
                    output.Append((char)((bits >> bitCount) & 0xFF));
                    if (++used == byteCount)
                    {
                        break;
                    }
                }
            }
            return output.ToString();
        }
        finally
        {
            output.Dispose();
        }
    }
}
