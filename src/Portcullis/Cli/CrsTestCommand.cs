using System.CommandLine;
using System.Text.RegularExpressions;
using Portcullis.CrsTest;
using Portcullis.Waf.Rules;

namespace Portcullis.Cli;

/// <summary>
/// <c>portcullis crs-test --crs DIR [--filter RULE_ID] [--json] [--overrides FILE]</c>: runs CRS's regression suite
/// (DIR/tests/regression/tests) through the real gateway and prints a table per rule file and the summary line.
/// Exit 0 when no test failed, 1 when some did, 2 for bad arguments or rules that do not load.
/// </summary>
internal static class CrsTestCommand
{
    public static Command Create()
    {
        var crs = new Option<string?>("--crs") { Description = "The Core Rule Set folder (crs-setup.conf.example, rules/, tests/). Default: $PORTCULLIS_CRS.", HelpName = "DIR" };
        var filter = new Option<string?>("--filter") { Description = "Run only the tests of this rule id (or ids starting with it, e.g. 9421).", HelpName = "RULE_ID" };
        var json = new Option<bool>("--json") { Description = "Print every test result as JSON instead of the table." };
        var overrides = new Option<string?>("--overrides") { Description = "go-ftw overrides file. Default: the one shipped with Portcullis.", HelpName = "FILE" };
        var command = new Command("crs-test", "Run the OWASP CRS regression tests through the gateway and the WAF engine.") { crs, filter, json, overrides };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(crs) ?? Environment.GetEnvironmentVariable("PORTCULLIS_CRS"),
            parse.GetValue(filter),
            parse.GetValue(json),
            parse.GetValue(overrides),
            Console.Out,
            Console.Error,
            ct));
        return command;
    }

    public static async Task<int> RunAsync(string? crs, string? filter, bool json, string? overridesPath, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(crs))
        {
            await errors.WriteLineAsync("portcullis crs-test: give the CRS folder with --crs DIR (or set PORTCULLIS_CRS).");
            return ExitCodes.UsageOrConfigError;
        }
        var testsDirectory = Path.Combine(crs, "tests", "regression", "tests");
        if (!Directory.Exists(testsDirectory))
        {
            await errors.WriteLineAsync($"portcullis crs-test: '{testsDirectory}' does not exist; --crs must be a CRS checkout or release with its tests.");
            return ExitCodes.UsageOrConfigError;
        }
        if (filter is not null && !filter.All(char.IsAsciiDigit))
        {
            await errors.WriteLineAsync($"portcullis crs-test: --filter takes a rule id (digits), not '{filter}'.");
            return ExitCodes.UsageOrConfigError;
        }
        FtwSuite suite;
        FtwOverrides overrides;
        try
        {
            suite = FtwSuite.Load(testsDirectory);
            overrides = overridesPath is null ? CrsTestOverrides.Shipped() : FtwOverrides.Load(overridesPath);
        }
        catch (FtwLoadException e)
        {
            await errors.WriteLineAsync($"portcullis crs-test: {e.Message}");
            return ExitCodes.UsageOrConfigError;
        }
        CrsTestGateway gateway;
        try
        {
            gateway = await CrsTestGateway.StartAsync(crs, cancellationToken);
        }
        catch (Hosting.GatewayStartException e)
        {
            await errors.WriteLineAsync($"portcullis crs-test: the gateway did not start: {e.Message}");
            return ExitCodes.UsageOrConfigError;
        }
        await using (gateway)
        {
            var runner = new FtwRunner(gateway.ExecuteAsync, overrides)
            {
                Include = filter is null ? null : new Regex($"^{filter}", RegexOptions.CultureInvariant),
            };
            var result = await runner.RunAsync(suite.Tests, progress: null, cancellationToken);
            await output.WriteAsync(json ? FtwJsonReport.Serialize(result) + "\n" + FtwReport.SummaryLine(result) + "\n" : FtwReport.Render(result));
            return result.Failed == 0 ? ExitCodes.Ok : ExitCodes.RuntimeFailure;
        }
    }
}
