using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Challenge;

/// <summary>
/// Two keys derived from the one in data_dir with HKDF (RFC 5869), one for challenge tokens and one for pass
/// cookies, so a value signed as one can never be accepted as the other (domain separation, RFC 5869 §3.2 "info").
/// </summary>
internal sealed class ChallengeKeys
{
    public ChallengeKeys(byte[] master)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(master.Length, ChallengeKeyFile.KeyLength);
        TokenKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, [], Encoding.ASCII.GetBytes("portcullis challenge token v1"));
        PassKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, [], Encoding.ASCII.GetBytes("portcullis pass cookie v1"));
    }

    public byte[] TokenKey { get; }

    public byte[] PassKey { get; }

    public static ChallengeKeys LoadOrCreate(string dataDir) => new(ChallengeKeyFile.LoadOrCreate(ChallengeKeyFile.PathIn(dataDir)));
}
