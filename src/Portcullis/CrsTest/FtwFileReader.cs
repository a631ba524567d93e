using System.Globalization;
using System.Text.RegularExpressions;
using Portcullis.Configuration;
using YamlDotNet.RepresentationModel;

namespace Portcullis.CrsTest;

/// <summary>
/// Reads one go-ftw test file (schema v2.3.0) the way go-ftw's <c>GetTestFromYaml</c> and <c>postLoadTestFTWTest</c>
/// do: a missing <c>rule_id</c> falls back to the first number in the file name, a missing <c>test_id</c> to the
/// test's 1-based position; <c>autocomplete_headers</c> and <c>log_contains</c> are resolved. Unlike go-ftw, an
/// unknown key is an error (a typo must not silently drop an expectation).
/// </summary>
internal static partial class FtwFileReader
{
    public static FtwTestFile? Read(string text, string relativePath, ConfigErrorList errors, ICollection<string> warnings)
    {
        var fileName = Path.GetFileName(relativePath);
        var fileRuleId = FileNameRuleId(fileName);
        var root = FtwYaml.ReadRoot(text, "test file", errors);
        if (root is null)
        {
            warnings.Add($"{relativePath}: holds no test (only comments).");
            return new FtwTestFile(relativePath, fileRuleId ?? 0, new FtwFileMeta(null, null, null, null, null, []), []);
        }
        var map = new YamlMap(root, "test file", errors);
        var meta = map.Map("meta") is { } metaMap ? ReadMeta(metaMap) : new FtwFileMeta(null, null, null, null, null, []);
        if (map.String("author") is not null)
        {
            // CRS 932271.yaml indents author out of meta; go-ftw ignores unknown keys, so it loads there.
            warnings.Add($"{relativePath}: 'author' stands at the top level instead of under 'meta'.");
        }
        var ruleId = FtwYaml.UInt(map, "rule_id") is { } id and > 0 ? id : fileRuleId;
        if (ruleId is null)
        {
            errors.Add(root, $"test file: 'rule_id' is required (the file name holds no number to fall back on).");
            ruleId = 0;
        }
        else if (fileRuleId is { } expected && expected != ruleId)
        {
            // CRS 933200.yaml says 9331200; go-ftw names its tests after rule_id, so do we, and say so.
            warnings.Add($"{relativePath}: rule_id {ruleId} differs from the file name's {expected}; its tests are named {ruleId}-N, as go-ftw names them.");
        }
        var tests = new List<FtwTest>();
        var testNodes = map.Sequence("tests") ?? [];
        for (var index = 0; index < testNodes.Count; index++)
        {
            if (YamlValues.Map(testNodes[index], $"tests[{index}]", errors) is { } testMap)
            {
                tests.Add(ReadTest(testMap, relativePath, ruleId.Value, (uint)index + 1));
            }
        }
        map.RejectUnknownKeys();
        foreach (var duplicate in tests.GroupBy(t => t.TestId).Where(g => g.Count() > 1))
        {
            warnings.Add($"{relativePath}: test_id {duplicate.Key} is used {duplicate.Count()} times.");
        }
        return new FtwTestFile(relativePath, ruleId.Value, meta, tests);
    }

    private static FtwTest ReadTest(YamlMap map, string file, uint ruleId, uint position)
    {
        // go-ftw keeps an explicit test_id and numbers the others by position.
        var testId = FtwYaml.UInt(map, "test_id") is { } id and > 0 ? id : position;
        var name = FtwTestIds.Format(ruleId, testId);
        var description = map.String("desc");
        var tags = FtwYaml.Strings(map, "tags");
        _ = map.String("test_title"); // Deprecated in favour of rule_id and test_id; accepted and ignored.
        var stages = new List<FtwStage>();
        var stageNodes = map.Sequence("stages") ?? [];
        for (var index = 0; index < stageNodes.Count; index++)
        {
            if (YamlValues.Map(stageNodes[index], $"test {name} stages[{index}]", map.Errors) is { } stageMap)
            {
                stages.Add(ReadStage(stageMap, name, index));
            }
        }
        map.RejectUnknownKeys();
        return new FtwTest(file, ruleId, testId, description, tags, stages);
    }

    private static FtwStage ReadStage(YamlMap map, string testName, int index)
    {
        var description = map.String("description");
        var input = map.Map("input") is { } inputMap ? FtwInputReader.Read(inputMap) : new FtwInput();
        var output = map.Map("output") is { } outputMap ? FtwOutputReader.Read(outputMap) : new FtwOutput();
        map.RejectUnknownKeys();
        return new FtwStage(testName, index, description, input, output);
    }

    private static FtwFileMeta ReadMeta(YamlMap map)
    {
        var meta = new FtwFileMeta(map.String("author"), map.String("name"), map.String("description"),
            map.String("version"), map.Bool("enabled"), FtwYaml.Strings(map, "tags"));
        map.RejectUnknownKeys();
        return meta;
    }

    /// <summary>go-ftw's fallback: the first run of digits in the file name.</summary>
    private static uint? FileNameRuleId(string fileName)
    {
        var match = Digits().Match(fileName);
        return match.Success && uint.TryParse(match.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    [GeneratedRegex("[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();
}
