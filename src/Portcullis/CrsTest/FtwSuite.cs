using Portcullis.Configuration;

namespace Portcullis.CrsTest;

/// <summary>
/// Every go-ftw test file under a directory (CRS: <c>tests/regression/tests</c>), in path order as go-ftw's glob
/// returns them. Loading is all or nothing: any problem in any file throws <see cref="FtwLoadException"/> listing all.
/// </summary>
internal sealed class FtwSuite
{
    private FtwSuite(string directory, IReadOnlyList<FtwTestFile> files, IReadOnlyList<string> warnings)
    {
        Directory = directory;
        Files = files;
        Warnings = warnings;
        Tests = [.. files.SelectMany(f => f.Tests)];
    }

    public string Directory { get; }

    public IReadOnlyList<FtwTestFile> Files { get; }

    /// <summary>All tests of all files, in file order.</summary>
    public IReadOnlyList<FtwTest> Tests { get; }

    /// <summary>Oddities that do not stop a run: files without tests, a rule_id that differs from the file name.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public static FtwSuite Load(string testsDirectory)
    {
        var root = Path.GetFullPath(testsDirectory);
        if (!System.IO.Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"go-ftw tests directory '{testsDirectory}' does not exist.");
        }
        var paths = System.IO.Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var files = new List<FtwTestFile>(paths.Count);
        var warnings = new List<string>();
        var errors = new List<ConfigError>();
        foreach (var relative in paths)
        {
            var fileErrors = new ConfigErrorList(relative);
            var file = FtwFileReader.Read(File.ReadAllText(Path.Combine(root, relative)), relative, fileErrors, warnings);
            errors.AddRange(fileErrors.Errors);
            if (file is not null)
            {
                files.Add(file);
            }
        }
        if (errors.Count > 0)
        {
            throw new FtwLoadException(errors);
        }
        if (files.Count == 0)
        {
            throw new FtwLoadException([new ConfigError(testsDirectory, 0, 0, "no go-ftw test files (*.yaml) found.")]);
        }
        return new FtwSuite(root, files, warnings);
    }
}
