using Portcullis.Waf.SecLang;

namespace Portcullis.Waf.Rules;

/// <summary>
/// Loads SecLang rule files, in order, into an immutable <see cref="RuleSet"/>. Every problem in every file is
/// collected and thrown together as a <see cref="RuleLoadException"/>; nothing is skipped silently.
/// </summary>
public static class RuleSetLoader
{
    /// <summary>Loads the files in order (each may <c>Include</c> more, relative to itself).</summary>
    public static RuleSet LoadFiles(IEnumerable<string> paths)
    {
        var builder = new RuleSetBuilder();
        foreach (var path in paths)
        {
            builder.AddFile(Path.GetFullPath(path), includedFrom: null);
        }
        return builder.Build();
    }

    /// <summary>Loads rules given as text (tests, built-in rules); <paramref name="fileName"/> names them in errors.</summary>
    public static RuleSet LoadText(string text, string fileName = "<rules>") => LoadSources([(text, fileName)]);

    /// <summary>Loads several texts in order, as if they were files.</summary>
    public static RuleSet LoadSources(IEnumerable<(string Text, string FileName)> sources)
    {
        var builder = new RuleSetBuilder();
        foreach (var (text, fileName) in sources)
        {
            builder.AddText(text, fileName);
        }
        return builder.Build();
    }

    /// <summary>Loads CRS the way its INSTALL describes: the setup file, optional extra files, then rules/*.conf in name order.</summary>
    public static RuleSet LoadCrs(string crsDirectory, IEnumerable<string>? before = null, IEnumerable<string>? after = null)
    {
        var setup = Path.Combine(crsDirectory, "crs-setup.conf");
        if (!File.Exists(setup))
        {
            setup = Path.Combine(crsDirectory, "crs-setup.conf.example");
        }
        var rules = Directory.GetFiles(Path.Combine(crsDirectory, "rules"), "*.conf").Order(StringComparer.Ordinal);
        return LoadFiles([.. before ?? [], setup, .. rules, .. after ?? []]);
    }
}
