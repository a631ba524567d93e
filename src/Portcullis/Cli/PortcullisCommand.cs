using System.CommandLine;

namespace Portcullis.Cli;

/// <summary>The root command: parses the command line and runs a subcommand.</summary>
internal static class PortcullisCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Portcullis: the front door for port 443. HTTPS termination, reverse proxy and hardening in one program.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(CertsCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(CrsTestCommand.Create());
        root.Subcommands.Add(CrsCommand.Create());
        root.Subcommands.Add(WafCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Create();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"portcullis: {error.Message}");
            }
            await Console.Error.WriteLineAsync("Run 'portcullis --help' for usage.");
            return ExitCodes.UsageOrConfigError;
        }
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync("portcullis: say what to do, e.g. 'portcullis demo' or 'portcullis run --config portcullis.yaml'. Run 'portcullis --help' for usage.");
            return ExitCodes.UsageOrConfigError;
        }
        return await parse.InvokeAsync();
    }
}
