using System.Globalization;
using System.Text;
using Portcullis.Waf.BodyProcessors;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// The buffered request body and the processor that turns it into variables (ModSecurity v2 semantics):
/// URLENCODED and MULTIPART are chosen by Content-Type, JSON and XML by ctl:requestBodyProcessor (as the
/// recommended rules 200000/200001 do). REQUEST_BODY is set for URLENCODED, or with ctl:forceRequestBodyVariable.
/// A body the processor cannot parse sets REQBODY_ERROR and REQBODY_ERROR_MSG; it never throws.
/// </summary>
internal sealed class RequestBody(EngineSettings settings)
{
    private readonly BoundedBuffer _buffer = new(settings.RequestBodyLimit);

    public bool OverLimit => _buffer.OverLimit;

    public long Length => _buffer.Length;

    public ReadOnlyMemory<byte> Bytes => _buffer.Bytes;

    /// <summary>Keeps what fits under SecRequestBodyLimit; false once something did not fit.</summary>
    public bool Append(ReadOnlySpan<byte> chunk, long? expectedLength) => _buffer.Append(chunk, expectedLength);

    public void Process(Transaction transaction)
    {
        var variables = transaction.Variables;
        var body = Bytes.Span;
        var chosen = variables.Get(VariableName.ReqbodyProcessor);
        var processor = string.IsNullOrEmpty(chosen) ? ProcessorFor(Header(variables, "Content-Type")) : chosen;
        variables.Set(VariableName.ReqbodyError, "0");
        variables.Set(VariableName.ReqbodyProcessorError, "0");
        variables.Set(VariableName.RequestBodyLength, body.Length.ToString(CultureInfo.InvariantCulture));
        if (processor is not null)
        {
            variables.Set(VariableName.ReqbodyProcessor, processor);
        }
        // As ModSecurity v2: REQUEST_BODY for URLENCODED, or when forced (CRS 901340 forces it when no processor ran).
        if (processor == "URLENCODED" || transaction.ForceRequestBodyVariable)
        {
            variables.Set(VariableName.RequestBody, Encoding.Latin1.GetString(body));
        }
        if (processor is null)
        {
            return;
        }
        var result = processor switch
        {
            "URLENCODED" => UrlEncoded(body),
            "MULTIPART" => MultipartParser.Parse(body, Header(variables, "Content-Type") ?? "", MultipartLimits.Default),
            "JSON" => JsonBodyParser.Parse(body, settings.JsonDepthLimit, settings.ArgumentsLimit),
            "XML" => XmlBodyParser.Parse(body),
            _ => null,
        };
        if (result is null)
        {
            return;
        }
        Apply(result, variables);
    }

    private static BodyParseResult UrlEncoded(ReadOnlySpan<byte> body)
    {
        var result = new BodyParseResult();
        UrlEncodedParser.Parse(body, result.Arguments);
        return result;
    }

    private void Apply(BodyParseResult result, VariableStore variables)
    {
        var args = variables.Collection(VariableName.ArgsPost);
        args.EnsureCapacity(args.Count + Math.Min(result.Arguments.Count, settings.ArgumentsLimit));
        var repeated = RepeatedValues.Current;
        foreach (var (name, value) in result.Arguments)
        {
            if (args.Count + (variables.CollectionOrNull(VariableName.ArgsGet)?.Count ?? 0) >= settings.ArgumentsLimit)
            {
                result.Error ??= $"Too many arguments: more than {settings.ArgumentsLimit} (SecArgumentsLimit).";
                break;
            }
            // Field names come back request after request (RepeatedValues): their scans are kept, like headers'.
            args.Add(repeated.Keep(name), value);
        }
        if (result.Files.Count > 0)
        {
            var files = variables.Collection(VariableName.Files);
            var sizes = variables.Collection(VariableName.FilesSizes);
            var names = variables.Collection(VariableName.FilesNames);
            long total = 0;
            foreach (var file in result.Files)
            {
                files.Add(file.FieldName, file.FileName);
                names.Add(file.FieldName, file.FieldName);
                sizes.Add(file.FieldName, file.Size.ToString(CultureInfo.InvariantCulture));
                total += file.Size;
            }
            variables.Set(VariableName.FilesCombinedSize, total.ToString(CultureInfo.InvariantCulture));
        }
        if (result.PartHeaders.Count > 0)
        {
            var headers = variables.Collection(VariableName.MultipartPartHeaders);
            foreach (var (name, line) in result.PartHeaders)
            {
                headers.Add(name, line);
            }
        }
        foreach (var (name, value) in result.Variables)
        {
            if (VariableRegistry.TryGet(name, out var variable) && !VariableRegistry.IsCollection(variable.Value))
            {
                variables.Set(variable.Value, value);
            }
        }
        if (result.XmlText.Count > 0 || result.XmlAttributeValues.Count > 0)
        {
            var xml = variables.Collection(VariableName.Xml);
            foreach (var text in result.XmlText)
            {
                xml.Add("/*", text);
            }
            foreach (var value in result.XmlAttributeValues)
            {
                xml.Add("//@*", value);
            }
        }
        if (result.Error is not null)
        {
            variables.Set(VariableName.ReqbodyError, "1");
            variables.Set(VariableName.ReqbodyErrorMsg, result.Error);
            variables.Set(VariableName.ReqbodyProcessorError, "1");
            variables.Set(VariableName.ReqbodyProcessorErrorMsg, result.Error);
        }
        var combined = 0L;
        foreach (var collection in (ReadOnlySpan<VariableName>)[VariableName.ArgsGet, VariableName.ArgsPost])
        {
            foreach (var item in variables.CollectionOrNull(collection)?.Items ?? [])
            {
                combined += item.Key.Length + item.Value.Length;
            }
        }
        variables.Set(VariableName.ArgsCombinedSize, combined.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>ModSecurity v2 (modsecurity_tx_init): a case-insensitive prefix match on Content-Type.</summary>
    internal static string? ProcessorFor(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }
        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return "URLENCODED";
        }
        return contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) ? "MULTIPART" : null;
    }

    internal static string? Header(VariableStore variables, string name) =>
        variables.CollectionOrNull(VariableName.RequestHeaders)?.Get(name);
}
