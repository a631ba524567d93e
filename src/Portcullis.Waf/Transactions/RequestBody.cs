using System.Globalization;
using System.Text;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// The buffered request body and the processor that turns it into variables (ModSecurity v2 semantics):
/// URLENCODED and MULTIPART are chosen by Content-Type, JSON and XML by ctl:requestBodyProcessor (as the
/// recommended rules 200000/200001 do). REQUEST_BODY is set for URLENCODED, or with ctl:forceRequestBodyVariable
/// when no processor ran. A body the processor cannot parse sets REQBODY_ERROR; it never throws.
/// </summary>
internal sealed partial class RequestBody(EngineSettings settings)
{
    private MemoryStream? _buffer;

    public bool OverLimit { get; private set; }

    public bool Append(ReadOnlySpan<byte> chunk)
    {
        _buffer ??= new MemoryStream();
        var room = settings.RequestBodyLimit - _buffer.Length;
        if (chunk.Length > room)
        {
            OverLimit = true;
            _buffer.Write(chunk[..(int)Math.Max(0, room)]);
            return false;
        }
        _buffer.Write(chunk);
        return true;
    }

    public void Process(Transaction transaction)
    {
        var variables = transaction.Variables;
        var body = _buffer is null ? ReadOnlySpan<byte>.Empty : _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length);
        var processor = variables.Get(VariableName.ReqbodyProcessor) ?? ProcessorFor(Header(variables, "Content-Type"));
        variables.Set(VariableName.ReqbodyError, "0");
        variables.Set(VariableName.ReqbodyProcessorError, "0");
        variables.Set(VariableName.RequestBodyLength, body.Length.ToString(CultureInfo.InvariantCulture));
        if (processor is not null)
        {
            variables.Set(VariableName.ReqbodyProcessor, processor);
        }
        if (processor == "URLENCODED" || (processor is null && transaction.ForceRequestBodyVariable) || transaction.ForceRequestBodyVariable)
        {
            variables.Set(VariableName.RequestBody, Encoding.Latin1.GetString(body));
        }
        if (body.IsEmpty || processor is null)
        {
            return;
        }
        var error = processor switch
        {
            "URLENCODED" => ProcessUrlEncoded(variables, body),
            "MULTIPART" => ProcessMultipart(variables, body),
            "JSON" => ProcessJson(variables, body),
            "XML" => ProcessXml(variables, body),
            _ => null,
        };
        if (error is not null)
        {
            variables.Set(VariableName.ReqbodyError, "1");
            variables.Set(VariableName.ReqbodyErrorMsg, error);
            variables.Set(VariableName.ReqbodyProcessorError, "1");
            variables.Set(VariableName.ReqbodyProcessorErrorMsg, error);
        }
        var total = 0L;
        foreach (var collection in new[] { VariableName.ArgsGet, VariableName.ArgsPost })
        {
            foreach (var item in variables.CollectionOrNull(collection)?.Items ?? [])
            {
                total += item.Key.Length + item.Value.Length;
            }
        }
        variables.Set(VariableName.ArgsCombinedSize, total.ToString(CultureInfo.InvariantCulture));
    }

    private string? ProcessUrlEncoded(VariableStore variables, ReadOnlySpan<byte> body)
    {
        ArgumentParser.ParseInto(Encoding.Latin1.GetString(body), variables.Collection(VariableName.ArgsPost), settings.ArgumentsLimit);
        return null;
    }

    private static string? ProcessorFor(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }
        var media = contentType.Split(';')[0].Trim();
        if (media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return "URLENCODED";
        }
        return media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ? "MULTIPART" : null;
    }

    internal static string? Header(VariableStore variables, string name) =>
        variables.CollectionOrNull(VariableName.RequestHeaders)?.Get(name);
}
