using System.CommandLine;

namespace Portcullis.Cli;

internal static class ConfigOption
{
    public const string DefaultPath = "portcullis.yaml";

    public static Option<string> Create() => new("--config", "-c")
    {
        Description = $"The YAML config file (default: ./{DefaultPath}).",
        DefaultValueFactory = _ => DefaultPath,
        HelpName = "FILE",
    };
}
