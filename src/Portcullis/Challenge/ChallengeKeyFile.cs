using System.Security.Cryptography;
using Portcullis.Tls;

namespace Portcullis.Challenge;

/// <summary>
/// The 32-byte HMAC key behind challenges and passes, kept in <c>data_dir/challenge/hmac.key</c> (mode 0600) so
/// passes stay valid across restarts and reloads. Deleting the file (and restarting) invalidates every pass.
/// Created race-free across processes (<see cref="PrivateFile"/>).
/// </summary>
internal static class ChallengeKeyFile
{
    public const int KeyLength = 32;

    public static string PathIn(string dataDir) => Path.Combine(dataDir, "challenge", "hmac.key");

    /// <summary>Loads the key, or creates it. Throws <see cref="InvalidDataException"/> for a file that is not a key.</summary>
    public static byte[] LoadOrCreate(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var key = PrivateFile.ReadOrCreate(fullPath, () => RandomNumberGenerator.GetBytes(KeyLength), $"challenge key {fullPath}");
        return key.Length == KeyLength ? key
            : throw new InvalidDataException($"challenge key {fullPath} has {key.Length} bytes, not {KeyLength}; delete it to create a new key (every pass becomes invalid)");
    }
}
