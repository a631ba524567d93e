namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// Finds <c>shared/crs</c> above the benchmark: CRS is read where the project keeps it, never copied into the
/// repository. BenchmarkDotNet runs each case in a child process built under <c>bin/</c>, so both the working
/// directory and the binaries' directory are tried.
/// </summary>
internal static class CrsLocator
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "crs");
                if (Directory.Exists(Path.Combine(candidate, "rules")))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException("shared/crs not found above the working directory or the benchmark binaries");
    }
}
