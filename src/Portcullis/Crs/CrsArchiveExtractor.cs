using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;

namespace Portcullis.Crs;

/// <summary>
/// Unpacks a .tar.gz or .zip (told apart by their magic bytes, not the URL) into a folder through
/// <see cref="CrsUnpackTarget"/>, which strips the top folder and enforces the safety rules.
/// </summary>
internal static class CrsArchiveExtractor
{
    /// <summary>tar pads its end with zero blocks up to a 10 KiB record; anything far beyond that is not a release archive.</summary>
    private const int MaxTrailingTarBytes = 1024 * 1024;

    /// <summary>Unpacks <paramref name="archivePath"/> into <paramref name="target"/>; throws <see cref="CrsFetchException"/> when it is unreadable or unsafe.</summary>
    public static void Extract(string archivePath, CrsUnpackTarget target)
    {
        try
        {
            using var file = File.OpenRead(archivePath);
            Span<byte> magic = stackalloc byte[4];
            var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            file.Position = 0;
            if (read >= 2 && magic[0] == 0x1F && magic[1] == 0x8B)
            {
                ExtractTarGz(file, target);
            }
            else if (read == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] == 3 && magic[3] == 4)
            {
                ExtractZip(file, target);
            }
            else
            {
                throw new CrsFetchException("the download is not a .tar.gz or .zip archive.");
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
        {
            throw new CrsFetchException($"the archive is unreadable (truncated or corrupted): {e.Message}", e);
        }
    }

    private static void ExtractTarGz(FileStream file, CrsUnpackTarget target)
    {
        using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        using var tar = new CrcCountingStream(gzip);
        using (var reader = new TarReader(tar, leaveOpen: true))
        {
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        target.AddDirectory(entry.Name);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        target.AddFile(entry.Name, entry.DataStream, entry.Length);
                        break;
                    case TarEntryType.GlobalExtendedAttributes:
                        // GitHub's archives start with a pax_global_header holding the commit id: metadata, not a file.
                        break;
                    case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                        throw CrsUnpackTarget.Refuse(entry.Name, "link");
                    default:
                        throw CrsUnpackTarget.Refuse(entry.Name, $"special entry ({entry.EntryType})");
                }
            }
        }
        // Read past the tar end-of-archive blocks so the CRC covers everything, bounded like the files themselves.
        var endOfEntries = tar.BytesRead;
        var buffer = new byte[81920];
        while (tar.Read(buffer) > 0)
        {
            if (tar.BytesRead - endOfEntries > MaxTrailingTarBytes)
            {
                throw new CrsFetchException("refusing the archive: it has too much data after the last tar entry.");
            }
        }
        CheckGzipTrailer(file, tar);
    }

    /// <summary>
    /// RFC 1952 §2.3: the last 8 bytes are CRC32 and ISIZE (length mod 2^32) of the uncompressed data. GZipStream
    /// stops quietly when the input ends early, so a download cut short just after a deflate block would otherwise
    /// unpack as if complete. Assumes one gzip member, as release archives are.
    /// </summary>
    private static void CheckGzipTrailer(FileStream file, CrcCountingStream tar)
    {
        Span<byte> trailer = stackalloc byte[8];
        if (file.Length < 18)
        {
            throw new CrsFetchException("the archive is unreadable (truncated or corrupted): too short for gzip.");
        }
        file.Position = file.Length - 8;
        file.ReadExactly(trailer);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != tar.Crc || size != (uint)tar.BytesRead)
        {
            throw new CrsFetchException("the archive is unreadable (truncated or corrupted): the gzip checksum does not match its contents.");
        }
    }

    private static void ExtractZip(FileStream file, CrsUnpackTarget target)
    {
        using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        if (zip.Entries.Count > target.Limits.MaxEntries)
        {
            throw new CrsFetchException($"refusing the archive: it has more than {target.Limits.MaxEntries} entries.");
        }
        foreach (var entry in zip.Entries)
        {
            // Zip stores the Unix mode in the high 16 bits of the external attributes (Info-ZIP convention).
            var fileType = (entry.ExternalAttributes >> 16) & 0xF000;
            if (fileType == 0xA000)
            {
                throw CrsUnpackTarget.Refuse(entry.FullName, "link");
            }
            if (entry.FullName.EndsWith('/'))
            {
                target.AddDirectory(entry.FullName);
                continue;
            }
            using var data = entry.Open();
            target.AddFile(entry.FullName, data, entry.Length);
        }
    }
}
