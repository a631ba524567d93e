using Portcullis.Configuration;
using YamlDotNet.RepresentationModel;

namespace Portcullis.CrsTest;

/// <summary>
/// A go-ftw platform overrides file (CRS's <c>tests/regression/*-overrides.yaml</c>): <c>version</c>, <c>meta</c>
/// (<c>engine</c>, <c>platform</c>, <c>annotations</c>) and <c>test_overrides</c>. As in go-ftw, an override's
/// <c>output</c> replaces the stage's whole output. Every entry must give a reason (STYLE.md: every test we override
/// carries a written reason); unknown keys are errors.
/// </summary>
internal sealed class FtwOverrides
{
    private FtwOverrides(string? version, string? engine, string? platform, IReadOnlyDictionary<string, string> annotations,
        IReadOnlyList<FtwTestOverride> entries)
    {
        Version = version;
        Engine = engine;
        Platform = platform;
        Annotations = annotations;
        Entries = entries;
    }

    public static FtwOverrides None { get; } = new(null, null, null, new Dictionary<string, string>(), []);

    public string? Version { get; }

    public string? Engine { get; }

    public string? Platform { get; }

    public IReadOnlyDictionary<string, string> Annotations { get; }

    public IReadOnlyList<FtwTestOverride> Entries { get; }

    public static FtwOverrides Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static FtwOverrides Parse(string text, string fileName)
    {
        var errors = new ConfigErrorList(fileName);
        var root = FtwYaml.ReadRoot(text, "overrides", errors);
        if (root is null)
        {
            if (errors.Count > 0)
            {
                throw new FtwLoadException(errors.Errors);
            }
            return None;
        }
        var map = new YamlMap(root, "overrides", errors);
        var version = map.String("version");
        string? engine = null, platform = null;
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map.Map("meta") is { } meta)
        {
            engine = meta.String("engine");
            platform = meta.String("platform");
            ReadAnnotations(meta, annotations);
            meta.RejectUnknownKeys();
        }
        var entries = new List<FtwTestOverride>();
        var nodes = map.Sequence("test_overrides") ?? [];
        for (var i = 0; i < nodes.Count; i++)
        {
            if (YamlValues.Map(nodes[i], $"test_overrides[{i}]", errors) is { } entry && ReadEntry(entry) is { } parsed)
            {
                entries.Add(parsed);
            }
        }
        map.RejectUnknownKeys();
        if (errors.Count > 0)
        {
            throw new FtwLoadException(errors.Errors);
        }
        return new FtwOverrides(version, engine, platform, annotations, entries);
    }

    /// <summary>
    /// The test with this file's overrides applied. Entries apply in file order, so when several name the same
    /// test the last one decides, as go-ftw's successive assignments do.
    /// </summary>
    public FtwOverriddenTest Apply(FtwTest test)
    {
        FtwTestOverride? applied = null;
        var stages = test.Stages.ToArray();
        foreach (var entry in Entries.Where(e => e.AppliesTo(test)))
        {
            applied = entry;
            for (var i = 0; i < stages.Length; i++)
            {
                if (!entry.AppliesToStage(i))
                {
                    continue;
                }
                if (entry.Output is { } output)
                {
                    stages[i] = stages[i] with { Output = entry.RetryOnce ? output with { RetryOnce = true } : output };
                }
                else if (entry.RetryOnce)
                {
                    stages[i] = stages[i] with { Output = stages[i].Output with { RetryOnce = true } };
                }
            }
        }
        return new FtwOverriddenTest(applied is null ? test : test with { Stages = stages }, applied);
    }

    private static FtwTestOverride? ReadEntry(YamlMap map)
    {
        var ruleId = FtwYaml.UInt(map, "rule_id");
        var testIds = FtwYaml.UIntList(map, "test_ids") ?? [];
        var stageIds = FtwYaml.UIntList(map, "stage_ids") ?? [];
        var reason = map.String("reason")?.Trim();
        var output = map.Map("output") is { } outputMap ? FtwOutputReader.Read(outputMap) : null;
        var retryOnce = map.Bool("retry_once") ?? false;
        var expectFailure = map.Bool("expect_failure") ?? false;
        map.RejectUnknownKeys();
        if (ruleId is null or 0)
        {
            map.Errors.Add(map.Node, $"{map.What}: 'rule_id' is required.");
        }
        if (string.IsNullOrEmpty(reason))
        {
            map.Errors.Add(map.Node, $"{map.What}: 'reason' is required; say why the test cannot pass as written.");
        }
        if (expectFailure && output is not null)
        {
            map.Errors.Add(map.Node, $"{map.What}: 'expect_failure' keeps the test's own expectations; drop 'output' or 'expect_failure'.");
        }
        return ruleId is null or 0 || string.IsNullOrEmpty(reason)
            ? null
            : new FtwTestOverride(ruleId.Value, testIds, stageIds, reason, output, retryOnce, expectFailure, (int)map.Node.Start.Line);
    }

    /// <summary>
    /// The schema says a map; CRS's own files write a list of one-key maps (<c>- purpose: "CRS test suite"</c>).
    /// Both are accepted.
    /// </summary>
    private static void ReadAnnotations(YamlMap meta, Dictionary<string, string> annotations)
    {
        var node = meta.Get("annotations");
        IEnumerable<YamlNode> maps = node switch
        {
            null => [],
            YamlSequenceNode sequence => sequence.Children,
            _ => [node],
        };
        foreach (var item in maps)
        {
            if (item is not YamlMappingNode mapping)
            {
                meta.Errors.Add(item, "meta.annotations: expected name: value pairs.");
                continue;
            }
            foreach (var (key, value) in mapping.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode scalar)
                {
                    annotations[name] = scalar.Value ?? "";
                }
                else
                {
                    meta.Errors.Add(key, "meta.annotations: expected name: value pairs.");
                }
            }
        }
    }
}
