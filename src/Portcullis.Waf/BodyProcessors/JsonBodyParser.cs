using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// JSON processor. Every scalar becomes an argument named by its path from the root <c>json</c> (as libmodsecurity v3
/// and Coraza name them; CRS 942220 and 934170 allow an optional <c>^json\.</c>): object members add <c>.key</c>, and
/// array elements repeat the array's key as ModSecurity v2 does (<c>{"a":{"b":[7,8]}}</c> → <c>json.a.b.b=7</c>,
/// <c>json.a.b.b=8</c>; a top-level array is named <c>array</c>). Repeating the key keeps names anchored on it
/// (CRS 934210 matches <c>__contained_by$</c> in ARGS_NAMES) and gives every element one stable name to exclude. Values are as yajl hands them to
/// ModSecurity: strings unescaped to UTF-8 bytes, numbers as their source text, <c>true</c>/<c>false</c>, null as empty.
/// <para>
/// Errors (yajl semantics): malformed JSON, comments, trailing content, invalid UTF-8 in a string, and nesting past the
/// depth limit. Depth is counted as ModSecurity v2 counts it for SecRequestBodyJsonDepthLimit: every array and every
/// object except a top-level object adds one level.
/// </para>
/// </summary>
internal static class JsonBodyParser
{
    /// <summary>ModSecurity v2's default SecRequestBodyJsonDepthLimit.</summary>
    public const int DefaultMaxDepth = 10000;

    // Names are rebuilt for every value, so a long key above many values multiplies: {"<500 KB>":{"a":1,"a":1,...}}.
    // The names may total this many bytes (or 32 per body byte, if more) before parsing stops; real documents
    // stay far below (a path like json.order.items.12.sku is a few times its share of the body).
    private const long MinNameBudget = 1 << 20;
    private const long NameBudgetPerBodyByte = 32;

    public static BodyParseResult Parse(ReadOnlySpan<byte> body, int maxDepth) => Parse(body, maxDepth, int.MaxValue);

    /// <param name="body">The request body.</param>
    /// <param name="maxDepth">SecRequestBodyJsonDepthLimit.</param>
    /// <param name="maxArguments">SecArgumentsLimit: ModSecurity v2.9.7+ stops with a body error beyond it.</param>
    public static BodyParseResult Parse(ReadOnlySpan<byte> body, int maxDepth, int maxArguments)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDepth);
        ArgumentOutOfRangeException.ThrowIfNegative(maxArguments);

        var result = new BodyParseResult();
        if (body.IsEmpty)
        {
            return result;
        }
        try
        {
            result.Error = Walk(body, maxDepth, maxArguments, result.Arguments);
        }
        catch (JsonException e)
        {
            result.Error = "JSON parsing error: " + e.Message;
        }
        return result;
    }

    private static string? Walk(ReadOnlySpan<byte> body, int maxDepth, int maxArguments, List<KeyValuePair<string, string>> arguments)
    {
        // The reader's own limit only backs ours up: ours fires first and says "depth limit exceeded".
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth >= int.MaxValue - 2 ? int.MaxValue : maxDepth + 2 });
        var path = new JsonPath();
        var frames = new List<Frame>();
        var key = new ArrayBufferWriter<byte>();
        var scratch = new ArrayBufferWriter<byte>();
        var depth = 0;
        var nameBudget = Math.Max(MinNameBudget, NameBudgetPerBodyByte * body.Length);

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    var isArray = reader.TokenType == JsonTokenType.StartArray;
                    var counted = isArray || frames.Count > 0;
                    if (counted && ++depth > maxDepth)
                    {
                        return "JSON depth limit exceeded";
                    }
                    var before = path.Length;
                    byte[]? elementName = null;
                    if (frames.Count == 0)
                    {
                        if (isArray)
                        {
                            path.Append(".array"u8);
                            elementName = "array"u8.ToArray();
                        }
                    }
                    else
                    {
                        var segment = AppendSegment(path, frames, key);
                        elementName = isArray ? segment.ToArray() : null;
                    }
                    frames.Add(new Frame(isArray, before, counted, elementName));
                    break;

                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    var frame = frames[^1];
                    frames.RemoveAt(frames.Count - 1);
                    path.Truncate(frame.PathLength);
                    depth -= frame.Counted ? 1 : 0;
                    break;

                case JsonTokenType.PropertyName:
                    key.Clear();
                    var keyError = ReadString(ref reader, key);
                    if (keyError is not null)
                    {
                        return keyError;
                    }
                    break;

                default:
                    if (arguments.Count >= maxArguments)
                    {
                        return $"JSON: More than {maxArguments} arguments.";
                    }
                    scratch.Clear();
                    var valueError = ReadScalar(ref reader, scratch);
                    if (valueError is not null)
                    {
                        return valueError;
                    }
                    var nameStart = path.Length;
                    AppendSegment(path, frames, key);
                    nameBudget -= path.Length;
                    if (nameBudget < 0)
                    {
                        return "JSON: Argument names too long.";
                    }
                    arguments.Add(new(ByteStrings.FromBytes(path.Bytes), ByteStrings.FromBytes(scratch.WrittenSpan)));
                    path.Truncate(nameStart);
                    break;
            }
        }
        return null;
    }

    /// <summary>Appends ".key" inside an object, ".arraykey" inside an array, nothing at the top level; returns the segment.</summary>
    private static ReadOnlySpan<byte> AppendSegment(JsonPath path, List<Frame> frames, ArrayBufferWriter<byte> key)
    {
        if (frames.Count == 0)
        {
            return [];
        }
        path.Append("."u8);
        var parent = frames[^1];
        var segment = parent.IsArray ? parent.ElementName : key.WrittenSpan;
        path.Append(segment);
        return segment;
    }

    private static string? ReadScalar(ref Utf8JsonReader reader, ArrayBufferWriter<byte> into)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return ReadString(ref reader, into);
            case JsonTokenType.Number:
                into.Write(reader.ValueSpan);
                return null;
            case JsonTokenType.True:
                into.Write("true"u8);
                return null;
            case JsonTokenType.False:
                into.Write("false"u8);
                return null;
            default:
                // null: ModSecurity adds the argument with an empty value.
                return null;
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader, ArrayBufferWriter<byte> into)
    {
        var raw = reader.ValueSpan;
        if (!Utf8.IsValid(raw))
        {
            // yajl validates UTF-8 for ModSecurity; Utf8JsonReader does not while reading.
            return "JSON parsing error: invalid bytes in UTF8 string.";
        }
        if (reader.ValueIsEscaped)
        {
            JsonStringDecoder.Decode(raw, into);
        }
        else
        {
            into.Write(raw);
        }
        return null;
    }

    private readonly record struct Frame(bool IsArray, int PathLength, bool Counted, byte[]? ElementName);
}
