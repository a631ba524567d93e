using Portcullis.Waf.Detection;
using Portcullis.Waf.Tests.Detection.Support;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Waf.Tests.Detection;

/// <summary>
/// The CRS regression tests of the three rules that call the detectors (942100 @detectSQLi, 941100 and 941101
/// @detectXSS), read from ../shared/crs. Each stage's request is reduced to the values the rule inspects, after the
/// rule's transformations (approximated by <see cref="ModSecTransforms"/>); a stage that expects the rule must make
/// the detector fire on one of them, a stage that expects it not to fire on none.
/// </summary>
public sealed class CrsDetectionRegressionTests
{
    public static TheoryData<string, string> Stages()
    {
        var data = new TheoryData<string, string>();
        foreach (var (ruleId, testId, _, _) in LoadAll())
        {
            data.Add(ruleId, testId);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Stages))]
    public void Detector_CrsRegressionStage_MatchesExpectation(string ruleId, string testId)
    {
        var (_, _, request, expectFire) = LoadAll().Single(s => s.RuleId == ruleId && s.TestId == testId);
        var values = ruleId switch
        {
            "942100" => request.SqliTargets().ToList(),
            "941100" => request.XssTargets().ToList(),
            _ => request.XssPathTargets().ToList(),
        };
        Func<string, bool> fires = ruleId == "942100" ? v => SqlInjectionDetector.IsSqlInjection(v, out _) : v => XssDetector.IsXss(v);
        var firing = values.Where(fires).ToList();
        if (expectFire)
        {
            Assert.True(firing.Count > 0, $"{ruleId}-{testId}: no inspected value fired: {string.Join(" | ", values)}");
        }
        else
        {
            Assert.True(firing.Count == 0, $"{ruleId}-{testId}: fired on {string.Join(" | ", firing)}");
        }
    }

    [Fact]
    public void Stages_AllThreeRuleFiles_AreFound()
    {
        var stages = LoadAll().ToList();
        Assert.Equal(15, stages.Count(s => s.RuleId == "942100"));
        Assert.Equal(7, stages.Count(s => s.RuleId == "941100"));
        Assert.Equal(3, stages.Count(s => s.RuleId == "941101"));
    }

    private static IEnumerable<(string RuleId, string TestId, InspectedRequest Request, bool ExpectFire)> LoadAll()
    {
        var tests = Path.Combine(CrsDirectoryLocator.Find(), "tests", "regression", "tests");
        foreach (var (dir, rule) in new[]
        {
            ("REQUEST-942-APPLICATION-ATTACK-SQLI", "942100"),
            ("REQUEST-941-APPLICATION-ATTACK-XSS", "941100"),
            ("REQUEST-941-APPLICATION-ATTACK-XSS", "941101"),
        })
        {
            var yaml = new YamlStream();
            using (var reader = File.OpenText(Path.Combine(tests, dir, rule + ".yaml")))
            {
                yaml.Load(reader);
            }
            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            foreach (YamlMappingNode test in (YamlSequenceNode)root["tests"])
            {
                var testId = ((YamlScalarNode)test["test_id"]).Value!;
                var stageIndex = 0;
                foreach (YamlMappingNode stage in (YamlSequenceNode)test["stages"])
                {
                    var input = (YamlMappingNode)stage["input"];
                    var log = (YamlMappingNode)((YamlMappingNode)stage["output"])["log"];
                    var expectFire = Lists(log, "expect_ids", rule);
                    if (!expectFire && !Lists(log, "no_expect_ids", rule))
                    {
                        continue;
                    }
                    var id = stageIndex++ == 0 ? testId : $"{testId}.{stageIndex}";
                    yield return (rule, id, ToRequest(input), expectFire);
                }
            }
        }
    }

    private static bool Lists(YamlMappingNode log, string key, string rule) =>
        log.Children.TryGetValue(new YamlScalarNode(key), out var node)
        && ((YamlSequenceNode)node).Children.Any(n => ((YamlScalarNode)n).Value == rule);

    private static InspectedRequest ToRequest(YamlMappingNode input)
    {
        var request = new InspectedRequest();
        string? Scalar(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var n) ? ((YamlScalarNode)n).Value : null;
        request.AddUri(ModSecTransforms.Bytes(Scalar(input, "uri") ?? "/"));
        string? contentType = null;
        if (input.Children.TryGetValue(new YamlScalarNode("headers"), out var headers))
        {
            foreach (var (name, value) in ((YamlMappingNode)headers).Children)
            {
                var headerName = ((YamlScalarNode)name).Value!;
                var headerValue = ModSecTransforms.Bytes(((YamlScalarNode)value).Value ?? string.Empty);
                request.AddHeader(headerName, headerValue);
                if (headerName.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    contentType = headerValue;
                }
            }
        }
        if (Scalar(input, "data") is { Length: > 0 } data)
        {
            // go-ftw sends data without a Content-Type as application/x-www-form-urlencoded.
            request.AddBody(contentType ?? "application/x-www-form-urlencoded", ModSecTransforms.Bytes(data));
        }
        return request;
    }
}
