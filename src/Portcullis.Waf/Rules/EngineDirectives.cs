using System.Globalization;
using Portcullis.Waf.Actions;
using Portcullis.Waf.SecLang;

namespace Portcullis.Waf.Rules;

/// <summary>
/// The engine-wide directives a rule set may carry (SecRuleEngine, body access and limits, ...). Directives about
/// ModSecurity's own files (audit log, debug log, temp and data directories) are refused with what Portcullis does
/// instead, so a copied modsecurity.conf says clearly what does not apply.
/// </summary>
internal static class EngineDirectives
{
    public static EngineSettings Apply(EngineSettings settings, Directive directive)
    {
        var args = directive.Arguments;
        string One() => args.Count == 1 ? args[0] : throw new FormatException($"{directive.Name} takes one argument, got {args.Count}");
        long Size() => long.TryParse(One(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new FormatException($"{directive.Name} takes a positive number of bytes, not '{One()}'");
        switch (directive.Name.ToUpperInvariant())
        {
            case "SECRULEENGINE":
                return settings with { RuleEngine = CtlAction.ParseEngineMode(One()) };
            case "SECREQUESTBODYACCESS":
                return settings with { RequestBodyAccess = CtlAction.ParseOnOff(One(), directive.Name) };
            case "SECRESPONSEBODYACCESS":
                return settings with { ResponseBodyAccess = CtlAction.ParseOnOff(One(), directive.Name) };
            case "SECRESPONSEBODYMIMETYPE":
                return settings with { ResponseBodyMimeTypes = [.. settings.ResponseBodyMimeTypes, .. args.SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(m => m.ToLowerInvariant())] };
            case "SECRESPONSEBODYMIMETYPESCLEAR":
                return settings with { ResponseBodyMimeTypes = [] };
            case "SECREQUESTBODYLIMIT":
                return settings with { RequestBodyLimit = Size() };
            case "SECREQUESTBODYNOFILESLIMIT":
                return settings with { RequestBodyNoFilesLimit = Size() };
            case "SECRESPONSEBODYLIMIT":
                return settings with { ResponseBodyLimit = Size() };
            case "SECREQUESTBODYLIMITACTION":
                return settings with { RequestBodyLimitProcessPartial = LimitAction(One()) };
            case "SECRESPONSEBODYLIMITACTION":
                return settings with { ResponseBodyLimitProcessPartial = LimitAction(One()) };
            case "SECARGUMENTSLIMIT":
                return settings with { ArgumentsLimit = (int)Math.Min(Size(), int.MaxValue) };
            case "SECREQUESTBODYJSONDEPTHLIMIT":
                return settings with { JsonDepthLimit = (int)Math.Min(Size(), 10_000) };
            case "SECPCREMATCHLIMIT" or "SECPCREMATCHLIMITRECURSION":
                // PCRE's backtracking budget; .NET bounds matches by time instead (EngineSettings.RegexMatchTimeout).
                _ = Size();
                return settings;
            case "SECAUDITENGINE" or "SECAUDITLOG" or "SECAUDITLOGPARTS" or "SECAUDITLOGTYPE" or "SECAUDITLOGSTORAGEDIR"
                or "SECAUDITLOGRELEVANTSTATUS" or "SECAUDITLOGFORMAT" or "SECAUDITLOGDIRMODE" or "SECAUDITLOGFILEMODE":
                throw new FormatException($"{directive.Name} is not used: Portcullis writes matched rules to its security log (see docs/waf.md); remove the directive");
            case "SECDEBUGLOG" or "SECDEBUGLOGLEVEL" or "SECTMPDIR" or "SECDATADIR" or "SECUPLOADDIR" or "SECUPLOADKEEPFILES"
                or "SECTMPSAVEUPLOADEDFILES" or "SECCOLLECTIONTIMEOUT" or "SECSTATUSENGINE" or "SECUNICODEMAPFILE" or "SECCOOKIEFORMAT"
                or "SECARGUMENTSEPARATOR":
                throw new FormatException($"{directive.Name} is not supported by Portcullis's engine; remove the directive");
            default:
                throw new FormatException($"unknown directive '{directive.Name}'");
        }
    }

    private static bool LimitAction(string value) => value.ToUpperInvariant() switch
    {
        "REJECT" => false,
        "PROCESSPARTIAL" => true,
        _ => throw new FormatException($"limit action must be Reject or ProcessPartial, not '{value}'"),
    };
}
