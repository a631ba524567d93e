using Portcullis.Configuration;

namespace Portcullis.Cli;

/// <summary>Prints a rejected config's errors, one file:line:column line each, then a count and what was not done.</summary>
internal static class ConfigErrorPrinter
{
    public static void Print(ConfigLoadResult result, TextWriter errors, string consequence)
    {
        foreach (var error in result.Errors)
        {
            errors.WriteLine(error);
        }
        errors.WriteLine($"{result.Errors.Count} error(s); {consequence}");
    }
}
