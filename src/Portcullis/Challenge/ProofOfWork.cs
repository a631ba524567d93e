using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Challenge;

/// <summary>
/// Hashcash over SHA-256: the answer to a token is a decimal nonce such that SHA-256(token ":" nonce), as UTF-8,
/// starts with at least <c>difficulty</c> zero bits. Finding one takes 2^difficulty hashes on average; checking
/// takes one. The page's script (<see cref="ChallengePage"/>) computes the same with crypto.subtle.digest.
/// </summary>
internal static class ProofOfWork
{
    /// <summary>2^53 is where JavaScript numbers stop counting exactly; 16 digits covers any realistic search.</summary>
    public const int MaxNonceLength = 16;

    public static bool IsSolved(string token, ReadOnlySpan<char> nonce, int difficulty)
    {
        if (nonce.IsEmpty || nonce.Length > MaxNonceLength || !IsDigits(nonce) || token.Length > ChallengeToken.MaxLength)
        {
            return false;
        }
        Span<byte> input = stackalloc byte[ChallengeToken.MaxLength + 1 + MaxNonceLength];
        var length = Encoding.ASCII.GetBytes(token, input);
        input[length++] = (byte)':';
        length += Encoding.ASCII.GetBytes(nonce, input[length..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..length], hash);
        return LeadingZeroBits(hash) >= difficulty;
    }

    public static int LeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            if (b != 0)
            {
                return bits + System.Numerics.BitOperations.LeadingZeroCount((uint)b) - 24;
            }
            bits += 8;
        }
        return bits;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
