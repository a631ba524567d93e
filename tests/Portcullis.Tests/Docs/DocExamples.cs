using System.Text.RegularExpressions;

namespace Portcullis.Tests.Docs;

/// <summary>The ```yaml blocks of the repository's Markdown files, for the tests that load every documented example.</summary>
internal static partial class DocExamples
{
    /// <summary>One (file, block index) row per YAML block of <paramref name="files"/> (paths from the repository root).</summary>
    public static TheoryData<string, int> Rows(params string[] files)
    {
        var data = new TheoryData<string, int>();
        foreach (var file in files)
        {
            var count = YamlBlock().Count(Read(file));
            for (var i = 0; i < count; i++)
            {
                data.Add(file, i);
            }
        }
        return data;
    }

    /// <summary>The text of block <paramref name="index"/> of <paramref name="file"/>.</summary>
    public static string Block(string file, int index) => YamlBlock().Matches(Read(file))[index].Groups[1].Value;

    public static string Read(string file) => File.ReadAllText(Path.Combine(RepositoryRoot(), file));

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portcullis.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Portcullis.slnx not found above the test binaries");
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
