namespace Portcullis.Waf.Tests;

/// <summary>Finds ../shared/crs above the test binaries (CRS is read from there, never copied into the repository).</summary>
internal static class CrsDirectoryLocator
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "crs");
            if (Directory.Exists(Path.Combine(candidate, "rules")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("../shared/crs not found above the test directory");
    }
}
