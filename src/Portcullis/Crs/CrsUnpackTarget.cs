namespace Portcullis.Crs;

/// <summary>
/// The folder an archive is unpacked into. Every entry passes through here, whatever the archive format, so the
/// safety rules live in one place: one shared top folder that is stripped, no absolute paths or <c>..</c> (the "zip
/// slip" attack writes outside the target through them), no duplicate entries, and bounded entry count and bytes
/// (a decompression bomb declares small sizes and expands without end, so the bytes are counted as written).
/// </summary>
internal sealed class CrsUnpackTarget
{
    private readonly string _root;
    private readonly CrsArchiveLimits _limits;

    public CrsUnpackTarget(string root, CrsArchiveLimits limits)
    {
        _root = Path.GetFullPath(root);
        _limits = limits;
        Directory.CreateDirectory(_root);
    }

    /// <summary>The archive's top folder (e.g. <c>coreruleset-4.28.0</c>), known after the first entry.</summary>
    public string? TopFolder { get; private set; }

    public CrsArchiveLimits Limits => _limits;

    public int Entries { get; private set; }

    public long Bytes { get; private set; }

    public void AddDirectory(string entryName)
    {
        if (Resolve(entryName, isDirectory: true) is { } path)
        {
            Directory.CreateDirectory(path);
        }
    }

    public void AddFile(string entryName, Stream? data, long declaredLength)
    {
        var path = Resolve(entryName, isDirectory: false)!;
        if (declaredLength > _limits.MaxUnpackedBytes - Bytes)
        {
            throw TooLarge();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new CrsFetchException($"refusing the archive: it holds '{entryName}' twice.");
        }
        using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        if (data is null)
        {
            return;
        }
        var buffer = new byte[81920];
        int read;
        while ((read = data.Read(buffer)) > 0)
        {
            Bytes += read;
            if (Bytes > _limits.MaxUnpackedBytes)
            {
                throw TooLarge();
            }
            output.Write(buffer, 0, read);
        }
    }

    /// <summary>Refuses an entry kind that has no place in a rule set (links, devices, FIFOs).</summary>
    public static CrsFetchException Refuse(string entryName, string kind) =>
        new($"refusing the archive: '{entryName}' is a {kind}; a CRS archive holds only files and folders.");

    /// <summary>The full path of an entry below the stripped top folder; null for the top folder itself.</summary>
    private string? Resolve(string entryName, bool isDirectory)
    {
        Entries++;
        if (Entries > _limits.MaxEntries)
        {
            throw new CrsFetchException($"refusing the archive: it has more than {_limits.MaxEntries} entries.");
        }
        if (entryName.Length == 0 || entryName.Contains('\0', StringComparison.Ordinal) || entryName.Contains('\\', StringComparison.Ordinal))
        {
            throw Unsafe(entryName, "is not a plain relative path");
        }
        if (entryName.StartsWith('/'))
        {
            throw Unsafe(entryName, "is an absolute path");
        }
        var segments = entryName.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Contains(".."))
        {
            throw Unsafe(entryName, "climbs out of the target folder with '..'");
        }
        if (segments.Length == 0)
        {
            throw Unsafe(entryName, "has no name");
        }
        TopFolder ??= segments[0];
        if (segments[0] != TopFolder || (segments.Length == 1 && !isDirectory))
        {
            throw new CrsFetchException($"refusing the archive: '{entryName}' is not inside the top folder '{TopFolder}/' (a release archive has exactly one).");
        }
        if (segments.Length == 1)
        {
            return null;
        }
        var path = Path.GetFullPath(Path.Combine(_root, Path.Combine(segments[1..])));
        // Belt and braces after the '..' check: whatever the name, the result must stay below the root.
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw Unsafe(entryName, "resolves outside the target folder");
        }
        return path;
    }

    private static CrsFetchException Unsafe(string entryName, string why) =>
        new($"refusing the archive: the entry '{entryName}' {why}.");

    private CrsFetchException TooLarge() =>
        new($"refusing the archive: it unpacks to more than {_limits.MaxUnpackedBytes} bytes.");
}
