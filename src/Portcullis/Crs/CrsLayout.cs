using Portcullis.Waf.Rules;

namespace Portcullis.Crs;

/// <summary>
/// Checks that an unpacked folder is a Core Rule Set this engine can run, before it replaces anything: the layout
/// CRS's INSTALL describes (crs-setup.conf.example and rules/*.conf), and the rules themselves load (as `validate`
/// does), so a newer CRS that uses something the engine lacks is refused here rather than at the next start.
/// </summary>
internal static class CrsLayout
{
    public const string SetupExample = "crs-setup.conf.example";

    public const string Setup = "crs-setup.conf";

    /// <summary>Returns the number of rules/*.conf files; throws <see cref="CrsFetchException"/> when the folder is not usable CRS.</summary>
    public static int Check(string directory)
    {
        var rules = Path.Combine(directory, "rules");
        var ruleFiles = Directory.Exists(rules) ? Directory.GetFiles(rules, "*.conf").Length : 0;
        if (ruleFiles == 0 || !File.Exists(Path.Combine(directory, SetupExample)))
        {
            throw new CrsFetchException($"the archive does not look like the OWASP Core Rule Set: it has no {SetupExample} or no rules/*.conf below its top folder.");
        }
        try
        {
            RuleSetLoader.LoadCrs(directory);
        }
        catch (RuleLoadException e)
        {
            throw new CrsFetchException($"the rules in the archive do not load in this version of Portcullis: {e.Message}", e);
        }
        return ruleFiles;
    }
}
