namespace Portcullis.Cli;

/// <summary>The root command: parses the command line and runs a subcommand.</summary>
internal static class PortcullisCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        _ = args;
        return Task.FromResult(0);
    }
}
