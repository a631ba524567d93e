namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:base64DecodeExt</c> (v2 name <c>decodeBase64Ext</c>) — the forgiving decoder of ModSecurity v2's
/// <c>decode_base64_ext</c>: every byte outside the alphabet is skipped (its "invalid char" branch is unreachable),
/// decoding stops at a NUL byte, and a <c>=</c> right after a group's first sextet, not followed by another
/// <c>=</c>, makes the whole result empty. Example: <c>VGVz dA==</c> → <c>Test</c>.
/// </summary>
internal sealed class Base64DecodeExt : Transformation
{
    public static readonly Base64DecodeExt Instance = new();

    private Base64DecodeExt()
    {
    }

    public override string Name => "base64DecodeExt";

    public override bool NeverLengthens => true;

    public override string Apply(string input)
    {
        if (input.Length == 0)
        {
            return input;
        }
        var span = input.AsSpan();
        var nul = span.IndexOf('\0');
        if (nul >= 0)
        {
            span = span[..nul];
        }
        var count = 0;
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c == '=')
            {
                var nextIsPad = i + 1 < span.Length && span[i + 1] == '=';
                if (!nextIsPad && count % 4 == 1)
                {
                    return string.Empty;
                }
                continue;
            }
            if (Base64Alphabet.Sextet(c) >= 0)
            {
                count++;
            }
        }
        // Only whole bytes are written: a group of 2 or 3 sextets gives 1 or 2 bytes.
        return Base64Alphabet.Decode(span, count);
    }
}
