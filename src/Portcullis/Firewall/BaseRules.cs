using System.Globalization;
using System.Text;
using Portcullis.Configuration;

namespace Portcullis.Firewall;

/// <summary>
/// The SecLang every Portcullis rule set starts with: engine settings from <c>waf:</c>, and the request-body rules
/// that ModSecurity's recommended configuration carries (ids 200000-200004 as there, so they read the same in logs):
/// XML and JSON bodies get their processor by Content-Type, a body that fails to parse or a multipart body that
/// fails strict validation is refused with 400. The site's settings follow the CRS setup (<see cref="SiteRules"/>).
/// </summary>
internal static class BaseRules
{
    public const string FileName = "<portcullis-base>";

    public static string Engine(WafConfig waf)
    {
        var text = new StringBuilder();
        text.AppendLine("SecRuleEngine On");
        text.AppendLine("SecRequestBodyAccess On");
        text.AppendLine(CultureInfo.InvariantCulture, $"SecRequestBodyLimit {waf.RequestBodyLimit}");
        text.AppendLine(waf.RequestBodyLimitPartial ? "SecRequestBodyLimitAction ProcessPartial" : "SecRequestBodyLimitAction Reject");
        text.AppendLine(CultureInfo.InvariantCulture, $"SecResponseBodyAccess {(waf.ResponseMimeTypes.Count > 0 ? "On" : "Off")}");
        text.AppendLine("SecResponseBodyMimeTypesClear");
        if (waf.ResponseMimeTypes.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"SecResponseBodyMimeType {string.Join(' ', waf.ResponseMimeTypes)}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"SecResponseBodyLimit {waf.ResponseBodyLimit}");
        text.AppendLine("SecResponseBodyLimitAction ProcessPartial");
        text.AppendLine("""
            SecRule REQUEST_HEADERS:Content-Type "@rx ^(?:application(?:/soap\+|/)|text/)xml" "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
            SecRule REQUEST_HEADERS:Content-Type "@rx ^application/json" "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
            SecRule REQBODY_ERROR "!@eq 0" "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}',severity:2"
            SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:200003,phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation: PE %{REQBODY_PROCESSOR_ERROR}, BQ %{MULTIPART_BOUNDARY_QUOTED}, BW %{MULTIPART_BOUNDARY_WHITESPACE}, DB %{MULTIPART_DATA_BEFORE}, DA %{MULTIPART_DATA_AFTER}, HF %{MULTIPART_HEADER_FOLDING}, LF %{MULTIPART_LF_LINE}, SM %{MULTIPART_MISSING_SEMICOLON}, IQ %{MULTIPART_INVALID_QUOTING}, IP %{MULTIPART_INVALID_PART}, IH %{MULTIPART_INVALID_HEADER_FOLDING}, FL %{MULTIPART_FILE_LIMIT_EXCEEDED}'"
            SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" "id:200004,phase:2,t:none,log,deny,msg:'Multipart parser detected a possible unmatched boundary.'"
            """);
        return text.ToString();
    }
}
