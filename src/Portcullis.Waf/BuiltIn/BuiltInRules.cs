using System.Text;

namespace Portcullis.Waf.BuiltIn;

/// <summary>
/// Portcullis's own small rule set (<c>portcullis-builtin.conf</c>, ids 210000-219999), run when no OWASP CRS is
/// configured. It scores like CRS (<c>tx.inbound_anomaly_score</c> against
/// <c>tx.inbound_anomaly_score_threshold</c>), so thresholds and paranoia settings written for CRS mean the same here.
/// Load it after the engine prelude: <c>RuleSetLoader.LoadSources([(prelude, ...), (BuiltInRules.Text, BuiltInRules.SourceName)])</c>.
/// </summary>
public static class BuiltInRules
{
    /// <summary>The name the rules carry in load errors and match logs.</summary>
    public const string SourceName = "portcullis-builtin.conf";

    private const string ResourceName = "Portcullis.Waf.BuiltIn.portcullis-builtin.conf";

    /// <summary>The SecLang text, read once from the assembly's embedded resource.</summary>
    public static string Text { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(BuiltInRules).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource '{ResourceName}' is missing from {typeof(BuiltInRules).Assembly.GetName().Name}");
        // Latin-1, as rule files are read elsewhere (FirewallRuleSets): one char per byte, so a byte in a pattern stays that byte.
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return reader.ReadToEnd();
    }
}
