using System.CommandLine;
using Portcullis.Configuration;

namespace Portcullis.Cli;

/// <summary>
/// <c>portcullis validate --config FILE</c>: every error with file:line:column (the config, then the WAF rule files
/// it names), exit 2 when there is any.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var command = new Command("validate", "Check a config file and print every error with file:line:column.") { config };
        command.SetAction(parse => Run(parse.GetValue(config)!, Console.Out, Console.Error));
        return command;
    }

    public static int Run(string path, TextWriter output, TextWriter errors)
    {
        var result = ConfigLoader.Load(path);
        if (!result.Succeeded)
        {
            ConfigErrorPrinter.Print(result, errors, "the config was not accepted.");
            return ExitCodes.UsageOrConfigError;
        }
        var config = result.Config!;
        // Like `nginx -t` with ModSecurity: the rules are loaded too, so a rule file mistake shows here, not at start.
        var ruleErrors = Firewall.FirewallRuleSets.Validate(config);
        if (ruleErrors.Count > 0)
        {
            foreach (var error in ruleErrors)
            {
                errors.WriteLine(error);
            }
            errors.WriteLine($"{ruleErrors.Count} error(s) in the WAF rules; the config was not accepted.");
            return ExitCodes.UsageOrConfigError;
        }
        output.WriteLine($"{config.SourcePath}: OK ({config.Sites.Count} site(s), {config.Sites.Sum(s => s.Routes.Count)} route(s); HTTPS on {config.Listen.Https}).");
        return ExitCodes.Ok;
    }
}
