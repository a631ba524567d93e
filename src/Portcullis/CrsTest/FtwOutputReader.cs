using Portcullis.Configuration;

namespace Portcullis.CrsTest;

/// <summary>Reads <c>output</c> (of a stage, or of an override that replaces it).</summary>
internal static class FtwOutputReader
{
    public static FtwOutput Read(YamlMap map)
    {
        var log = map.Map("log") is { } logMap ? ReadLog(logMap) : new FtwLogExpectation();
        // Deprecated log_contains / no_log_contains become the regexes when those are unset
        // (go-ftw's postProcessLogContains).
        var logContains = FtwYaml.Regex(map, "log_contains");
        var noLogContains = FtwYaml.Regex(map, "no_log_contains");
        if (logContains is not null && log.ExpectIds.Count == 0 && log.MatchRegex is null)
        {
            log = log with { MatchRegex = logContains };
        }
        if (noLogContains is not null && log.NoExpectIds.Count == 0 && log.NoMatchRegex is null)
        {
            log = log with { NoMatchRegex = noLogContains };
        }
        var output = new FtwOutput
        {
            Status = FtwYaml.Statuses(map, "status"),
            ResponseContains = FtwYaml.Regex(map, "response_contains"),
            Log = log,
            ExpectError = map.Bool("expect_error") ?? false,
            RetryOnce = map.Bool("retry_once") ?? false,
            Isolated = map.Bool("isolated") ?? false,
        };
        // go-ftw's checkTestSanity.
        if (output.Isolated && output.Log.ExpectIds.Count != 1)
        {
            map.Errors.Add(map.Node, $"{map.What}: 'isolated' needs exactly one id in log.expect_ids.");
        }
        map.RejectUnknownKeys();
        return output;
    }

    private static FtwLogExpectation ReadLog(YamlMap map)
    {
        var log = new FtwLogExpectation
        {
            ExpectIds = FtwYaml.UIntList(map, "expect_ids") ?? [],
            NoExpectIds = FtwYaml.UIntList(map, "no_expect_ids") ?? [],
            MatchRegex = FtwYaml.Regex(map, "match_regex"),
            NoMatchRegex = FtwYaml.Regex(map, "no_match_regex"),
        };
        map.RejectUnknownKeys();
        return log;
    }
}
