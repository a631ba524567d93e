using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Waf.Transformations;

/// <summary><c>t:md5</c> — the 16 raw digest bytes as a byte string (a fingerprint, as in ModSecurity).</summary>
internal sealed class Md5 : Transformation
{
    public static readonly Md5 Instance = new();

    private Md5()
    {
    }

    public override string Name => "md5";

    public override string Apply(string input)
    {
        Span<byte> digest = stackalloc byte[MD5.HashSizeInBytes];
#pragma warning disable CA5351 // SecLang's t:md5 is defined as MD5; it is a fingerprint, not a security control.
        MD5.HashData(Encoding.Latin1.GetBytes(input), digest);
#pragma warning restore CA5351
        return Encoding.Latin1.GetString(digest);
    }
}
