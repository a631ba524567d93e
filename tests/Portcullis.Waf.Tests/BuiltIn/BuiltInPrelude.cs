using Portcullis.Waf.BuiltIn;
using Portcullis.Waf.Rules;

namespace Portcullis.Waf.Tests.BuiltIn;

/// <summary>
/// The rule set the gateway runs without CRS: the engine prelude of src/Portcullis/Firewall/BaseRules.cs (with the
/// default waf: settings; the test project cannot reference the gateway) followed by the built-in rules.
/// </summary>
internal static class BuiltInPrelude
{
    public const string FileName = "<portcullis-base>";

    /// <summary>BaseRules.Engine(new WafConfig()), copied: 13 MiB request bodies refused above the limit, response
    /// bodies of the default MIME types up to 512 KiB, and the request-body processor rules 200000-200004.</summary>
    public const string Text = """
        SecRuleEngine On
        SecRequestBodyAccess On
        SecRequestBodyLimit 13631488
        SecRequestBodyLimitAction Reject
        SecResponseBodyAccess On
        SecResponseBodyMimeTypesClear
        SecResponseBodyMimeType text/plain text/html text/xml application/json
        SecResponseBodyLimit 524288
        SecResponseBodyLimitAction ProcessPartial
        SecRule REQUEST_HEADERS:Content-Type "@rx ^(?:application(?:/soap\+|/)|text/)xml" "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
        SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
        SecRule REQBODY_ERROR "!@eq 0" "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}',severity:2"
        SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:200003,phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation: PE %{REQBODY_PROCESSOR_ERROR}, BQ %{MULTIPART_BOUNDARY_QUOTED}, BW %{MULTIPART_BOUNDARY_WHITESPACE}, DB %{MULTIPART_DATA_BEFORE}, DA %{MULTIPART_DATA_AFTER}, HF %{MULTIPART_HEADER_FOLDING}, LF %{MULTIPART_LF_LINE}, SM %{MULTIPART_MISSING_SEMICOLON}, IQ %{MULTIPART_INVALID_QUOTING}, IP %{MULTIPART_INVALID_PART}, IH %{MULTIPART_INVALID_HEADER_FOLDING}, FL %{MULTIPART_FILE_LIMIT_EXCEEDED}'"
        SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" "id:200004,phase:2,t:none,log,deny,msg:'Multipart parser detected a possible unmatched boundary.'"

        """;

    private static readonly Lazy<RuleSet> Default = new(() => Load());

    /// <summary>Prelude + built-in rules, loaded once and shared (a rule set is immutable).</summary>
    public static RuleSet Rules => Default.Value;

    /// <summary>Prelude, then <paramref name="before"/> (e.g. a site's paranoia or threshold), then the built-in rules.</summary>
    public static RuleSet Load(string? before = null)
    {
        var sources = new List<(string Text, string FileName)> { (Text, FileName) };
        if (before is not null)
        {
            sources.Add((before, "<test-settings>"));
        }
        sources.Add((BuiltInRules.Text, BuiltInRules.SourceName));
        return RuleSetLoader.LoadSources(sources);
    }
}
