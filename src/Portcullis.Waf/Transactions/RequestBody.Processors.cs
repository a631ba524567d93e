using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

// TEMPORARY until the body processors land: multipart/JSON/XML report an error instead of parsing.
internal sealed partial class RequestBody
{
    private static string? ProcessMultipart(VariableStore variables, ReadOnlySpan<byte> body) => "multipart processor not yet available";

    private static string? ProcessJson(VariableStore variables, ReadOnlySpan<byte> body) => "JSON processor not yet available";

    private static string? ProcessXml(VariableStore variables, ReadOnlySpan<byte> body) => "XML processor not yet available";
}
