using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:sha1</c> — the 20 raw digest bytes as a byte string (combine with hexEncode for text). CRS uses it to
/// fingerprint values, not for security, so SHA-1's weakness does not matter here.
/// </summary>
internal sealed class Sha1 : Transformation
{
    public static readonly Sha1 Instance = new();

    private Sha1()
    {
    }

    public override string Name => "sha1";

    public override string Apply(string input)
    {
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // SecLang's t:sha1 is defined as SHA-1; it is a fingerprint, not a security control.
        SHA1.HashData(Encoding.Latin1.GetBytes(input), digest);
#pragma warning restore CA5350
        return Encoding.Latin1.GetString(digest);
    }
}
