using System.Security.Cryptography;

namespace Portcullis.Challenge;

/// <summary>
/// The 32-byte HMAC key behind challenges and passes, kept in <c>data_dir/challenge/hmac.key</c> (mode 0600) so
/// passes stay valid across restarts and reloads. Deleting the file (and restarting) invalidates every pass.
/// Created race-free across processes: the path is claimed with an exclusive create (O_EXCL, 0600), the key is
/// written to a 0600 temp file, flushed, and renamed over the claim, so no reader sees a partial key; a process
/// that loses the claim waits for the winner's key (as <see cref="Acme.Protocol.AcmeAccountKey"/> does).
/// </summary>
internal static class ChallengeKeyFile
{
    public const int KeyLength = 32;

    private static readonly TimeSpan ClaimWait = TimeSpan.FromSeconds(5);

    public static string PathIn(string dataDir) => Path.Combine(dataDir, "challenge", "hmac.key");

    /// <summary>Loads the key, or creates it. Throws <see cref="InvalidDataException"/> for a file that is not a key.</summary>
    public static byte[] LoadOrCreate(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            return LoadWhenWritten(fullPath);
        }
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        try
        {
            using (CreatePrivate(fullPath))
            {
                // The empty claim: from here on this process is the only writer.
            }
        }
        catch (IOException) when (File.Exists(fullPath))
        {
            return LoadWhenWritten(fullPath);
        }
        var key = RandomNumberGenerator.GetBytes(KeyLength);
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = CreatePrivate(temp))
            {
                stream.Write(key);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
            return key;
        }
        catch
        {
            TryDelete(temp);
            TryDelete(fullPath);
            throw;
        }
    }

    private static byte[] LoadWhenWritten(string path)
    {
        var deadline = DateTime.UtcNow + ClaimWait;
        while (new FileInfo(path).Length == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidDataException($"challenge key {path} is empty (a first start interrupted while creating it?); delete it to create a new key");
            }
            Thread.Sleep(20);
        }
        var key = File.ReadAllBytes(path);
        return key.Length == KeyLength ? key
            : throw new InvalidDataException($"challenge key {path} has {key.Length} bytes, not {KeyLength}; delete it to create a new key (every pass becomes invalid)");
    }

    private static FileStream CreatePrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless.
        }
    }
}
