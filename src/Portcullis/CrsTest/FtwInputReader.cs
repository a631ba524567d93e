using Portcullis.Configuration;

namespace Portcullis.CrsTest;

/// <summary>Reads <c>stage.input</c>; knows every key of schema v2.3.0 and rejects anything else.</summary>
internal static class FtwInputReader
{
    public static FtwInput Read(YamlMap map)
    {
        var headers = FtwYaml.HeaderMap(map, "headers");
        var ordered = FtwYaml.OrderedHeaders(map, "ordered_headers");
        if (headers is not null && ordered is not null)
        {
            map.Errors.Add(map.Node, $"{map.What}: use either 'headers' or 'ordered_headers', not both.");
        }
        var data = map.String("data");
        if (data is not null)
        {
            if (FtwDataTemplate.TryExpand(data, out var expanded, out var error))
            {
                data = expanded;
            }
            else
            {
                map.Errors.Add(map.Get("data")!, $"{map.What}.data: {error}.");
            }
        }
        var autocomplete = map.Bool("autocomplete_headers");
        var stopMagic = map.Bool("stop_magic");
        var encodedRequest = map.String("encoded_request") is { Length: > 0 } ? FtwYaml.Base64(map, "encoded_request") : null;
        // go-ftw's checkTestSanity: a raw request cannot also have a body of its own.
        if (encodedRequest is not null && !string.IsNullOrEmpty(data))
        {
            map.Errors.Add(map.Node, $"{map.What}: 'data' and 'encoded_request' must not be set together.");
        }
        if (map.Get("raw_request") is { } raw)
        {
            map.Errors.Add(raw, $"{map.What}: 'raw_request' is deprecated and ignored by go-ftw; use 'encoded_request'.");
        }
        var input = new FtwInput
        {
            DestAddr = map.String("dest_addr"),
            Port = map.Int("port", 0, 65535),
            Protocol = map.String("protocol"),
            Uri = map.String("uri"),
            Version = map.String("version"),
            Method = map.String("method"),
            Headers = ordered ?? headers ?? [],
            Data = data,
            EncodedData = FtwYaml.Base64(map, "encoded_data"),
            // The deprecated stop_magic means the opposite and counts only when autocomplete_headers is absent
            // (go-ftw's postProcessAutocompleteHeaders).
            AutocompleteHeaders = autocomplete ?? (stopMagic is { } stop ? !stop : true),
            EncodedRequest = encodedRequest,
            SaveCookie = map.Bool("save_cookie") ?? false,
            VirtualHostMode = map.Bool("virtual_host_mode") ?? false,
            FollowRedirect = map.Bool("follow_redirect") ?? false,
            Response = map.Map("response") is { } response ? ReadResponse(response) : null,
        };
        map.RejectUnknownKeys();
        return input;
    }

    private static FtwBackendResponse ReadResponse(YamlMap map)
    {
        var response = new FtwBackendResponse
        {
            Headers = FtwYaml.HeaderMap(map, "headers") ?? [],
            Status = map.Int("status", 0, 599) ?? 0,
            Body = map.String("body"),
            EncodedBody = FtwYaml.Base64(map, "encoded_body"),
            LogMessage = map.String("log_message"),
        };
        map.RejectUnknownKeys();
        return response;
    }
}
