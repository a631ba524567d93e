namespace Portcullis.Tls;

/// <summary>
/// A secret in <c>data_dir</c> (the ACME account key, the challenge HMAC key), read if it exists and created once
/// otherwise, race-free across processes: the path is first claimed with an exclusive create (O_EXCL, mode 0600),
/// then the content is written to a 0600 temp file, flushed, and renamed over the claim, so no reader ever sees a
/// partial or world-readable secret. A process that loses the claim waits (bounded) for the winner's content.
/// (File.Move without overwrite is a check followed by rename() on Unix, so it cannot decide the race by itself.)
/// </summary>
internal static class PrivateFile
{
    /// <summary>How long a concurrent first start waits for the process that claimed the file to finish writing it.</summary>
    private static readonly TimeSpan ClaimWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The file's bytes, or <paramref name="create"/>'s, written first. <paramref name="what"/> names the file in the
    /// error for a claim that was never completed (e.g. "ACME account key /var/lib/x.pem").
    /// </summary>
    public static byte[] ReadOrCreate(string fullPath, Func<byte[]> create, string what)
    {
        if (File.Exists(fullPath))
        {
            return ReadWhenWritten(fullPath, what);
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
            return ReadWhenWritten(fullPath, what);
        }
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var content = create();
            using (var stream = CreatePrivate(temp))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
            return content;
        }
        catch
        {
            TryDelete(temp);
            TryDelete(fullPath);
            throw;
        }
    }

    /// <summary>An empty file is another process's claim still being written; wait (bounded) for its rename.</summary>
    private static byte[] ReadWhenWritten(string path, string what)
    {
        var deadline = DateTime.UtcNow + ClaimWait;
        while (new FileInfo(path).Length == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidDataException($"{what} is empty (a first start interrupted while creating it?); delete it to create a new key");
            }
            Thread.Sleep(20);
        }
        return File.ReadAllBytes(path);
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
            // A leftover temp file is harmless; the secret itself is what matters.
        }
    }
}
