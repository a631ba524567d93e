using System.Formats.Tar;
using System.IO.Compression;
using Portcullis.Tests.CrsTest;

namespace Portcullis.Tests.Crs;

/// <summary>
/// Builds CRS release archives at test time from ../shared/crs (crs-setup.conf.example and rules/ under a top folder
/// coreruleset-4.28.0/, as GitHub's tag archive has them), with optional extra entries to make hostile ones.
/// </summary>
internal static class CrsArchiveBuilder
{
    public const string TopFolder = "coreruleset-4.28.0";

    /// <summary>The files of the shared CRS that go into an archive, as (archive-relative path, full path).</summary>
    public static IReadOnlyList<(string Name, string Path)> SourceFiles()
    {
        var crs = CrsTestsDirectory.Crs();
        var files = new List<(string, string)> { ("crs-setup.conf.example", Path.Combine(crs, "crs-setup.conf.example")) };
        foreach (var path in Directory.GetFiles(Path.Combine(crs, "rules")).Order(StringComparer.Ordinal))
        {
            files.Add(("rules/" + Path.GetFileName(path), path));
        }
        return files;
    }

    /// <summary>A .tar.gz of the shared CRS; <paramref name="extra"/> adds entries after the real ones.</summary>
    public static byte[] TarGz(Action<TarWriter>? extra = null, bool withPaxGlobalHeader = true)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (withPaxGlobalHeader)
            {
                // GitHub's archives begin with one, naming the commit.
                tar.WriteEntry(new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "55b09f5acfd16413e7b31041100711ceb7adc89c" }));
            }
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, TopFolder + "/"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, TopFolder + "/rules/"));
            foreach (var (name, path) in SourceFiles())
            {
                tar.WriteEntry(path, TopFolder + "/" + name);
            }
            extra?.Invoke(tar);
        }
        return output.ToArray();
    }

    /// <summary>A regular file entry named exactly <paramref name="name"/> (no normalisation, so it can be hostile).</summary>
    public static void AddFile(TarWriter tar, string name, string content)
    {
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(content)) });
    }

    /// <summary>A .zip of the shared CRS with the same layout; <paramref name="extra"/> adds entries after the real ones.</summary>
    public static byte[] Zip(Action<ZipArchive>? extra = null)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, path) in SourceFiles())
            {
                zip.CreateEntryFromFile(path, TopFolder + "/" + name, CompressionLevel.Fastest);
            }
            extra?.Invoke(zip);
        }
        return output.ToArray();
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
}
