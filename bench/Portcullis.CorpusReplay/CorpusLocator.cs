namespace Portcullis.CorpusReplay;

/// <summary>Finds <c>shared/attacks</c> beside the repository by walking up from the current folder, as the test
/// project's CrsDirectoryLocator finds <c>shared/crs</c>: the corpus is never copied into the repository.</summary>
internal static class CorpusLocator
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "attacks");
            if (File.Exists(Path.Combine(candidate, "manifest.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("no shared/attacks above the current folder; pass --corpus DIR");
    }
}
