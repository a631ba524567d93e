using System.Text.RegularExpressions;
using Portcullis.Configuration;

namespace Portcullis.Tests.Docs;

/// <summary>Every YAML example in docs/challenge.md is accepted by the real config loader and turns a challenge on.</summary>
public sealed partial class ChallengeDocsTests
{
    public static TheoryData<int> Examples()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < YamlBlock().Count(ReadDoc()); i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_LoadsWithAChallengeOn(int index)
    {
        var yaml = YamlBlock().Matches(ReadDoc())[index].Groups[1].Value;

        var result = ConfigLoader.Parse(yaml, "/tmp/portcullis-docs-test/portcullis.yaml");

        Assert.True(result.Succeeded, $"example {index}:\n{yaml}\n{string.Join("\n", result.Errors)}");
        Assert.Contains(result.Config!.Sites, s => s.Challenge.Mode != ChallengeMode.Off);
    }

    [Fact]
    public void Doc_HasExamples()
    {
        Assert.True(YamlBlock().Count(ReadDoc()) >= 2);
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    private static string ReadDoc()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portcullis.slnx")))
        {
            dir = dir.Parent;
        }
        return File.ReadAllText(Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Portcullis.slnx not found"), "docs", "challenge.md"));
    }
}
