namespace Portcullis.Tests.CrsTest;

/// <summary>Finds ../shared/crs above the test binaries (CRS is read from there, never copied into the repository).</summary>
internal static class CrsTestsDirectory
{
    public static string Crs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "crs");
            if (Directory.Exists(Path.Combine(candidate, "tests", "regression")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("../shared/crs not found above the test directory");
    }

    public static string Regression => Path.Combine(Crs(), "tests", "regression");

    public static string Tests => Path.Combine(Regression, "tests");
}
