using System.Diagnostics;
using System.Text;
using Portcullis.Waf.BodyProcessors;

namespace Portcullis.Waf.Tests.BodyProcessors;

public sealed class JsonBodyParserTests
{
    private static BodyParseResult Parse(string json, int maxDepth = JsonBodyParser.DefaultMaxDepth) =>
        JsonBodyParser.Parse(Encoding.UTF8.GetBytes(json), maxDepth);

    [Theory]
    [InlineData("""{"a":"b"}""", "json.a=b")]
    [InlineData("""{"a":{"b":{"c":"d"}},"e":"f"}""", "json.a.b.c=d | json.e=f")]
    [InlineData("""{"a":[1,2]}""", "json.a.a=1 | json.a.a=2")]
    [InlineData("""{"a":[[1],[2,3]]}""", "json.a.a.a=1 | json.a.a.a=2 | json.a.a.a=3")]
    [InlineData("""[{"x":1},{"x":2}]""", "json.array.array.x=1 | json.array.array.x=2")]
    [InlineData("""{"array":["php","test"]}""", "json.array.array=php | json.array.array=test")]    // CRS 933100 test 34
    [InlineData("""{"a":[{"b":1},3],"c":4}""", "json.a.a.b=1 | json.a.a=3 | json.c=4")]
    [InlineData("""{"n":1.50e3,"m":-0,"t":true,"f":false,"z":null}""", "json.n=1.50e3 | json.m=-0 | json.t=true | json.f=false | json.z=")]
    [InlineData("""{"a":"x","a":"y"}""", "json.a=x | json.a=y")]
    [InlineData("""{"":"x"}""", "json.=x")]
    [InlineData("""{"k.1":"v"}""", "json.k.1=v")]
    [InlineData("\"top\"", "json=top")]
    [InlineData("42", "json=42")]
    [InlineData("{}", "")]
    [InlineData("[]", "")]
    [InlineData(""" { "session=value)(uid=*" : "foo" } """, "json.session=value)(uid=*=foo")]       // CRS 921200 test 31
    public void Parse_Documents_FlattenToJsonPaths(string json, string expected)
    {
        var result = Parse(json);
        Assert.Null(result.Error);
        Assert.Equal(expected, BodyAssert.Render(result.Arguments));
    }

    [Theory]
    [InlineData("""{"a":"line\nbreak\t\"q\" \\ \/"}""", "line\nbreak\t\"q\" \\ /")]
    [InlineData("""{"a":"\u0065val"}""", "eval")]
    [InlineData("""{"a":"\\u0065val"}""", "\\u0065val")]                          // CRS 920540 test 3: an escaped backslash
    [InlineData("""{"a":"\u00e9"}""", "\u00c3\u00a9")]                            // é as its two UTF-8 bytes
    [InlineData("""{"a":"é"}""", "\u00c3\u00a9")]                                 // raw UTF-8 passes through as bytes
    [InlineData("""{"a":"\ud83d\ude00"}""", "\u00f0\u009f\u0098\u0080")]          // surrogate pair → 4 bytes
    [InlineData("""{"a":"x\ud83dy"}""", "x?y")]                                   // lone high surrogate: yajl writes '?'
    [InlineData("""{"a":"\ude00"}""", "\u00ed\u00b8\u0080")]                      // lone low surrogate: its own 3 bytes
    [InlineData("""{"a":"nul\u0000byte"}""", "nul\0byte")]
    public void Parse_Strings_BecomeUtf8ByteStrings(string json, string expected)
    {
        var result = Parse(json);
        Assert.Null(result.Error);
        Assert.Equal(expected, Assert.Single(result.Arguments).Value);
        BodyAssert.AllBytes(result);
    }

    [Fact]
    public void Parse_EscapedKey_IsUnescapedInTheName() =>
        Assert.Equal("json.\u00c3\u00a9t\u00c3\u00a9=1", BodyAssert.Render(Parse("""{"\u00e9t\u00e9":1}""").Arguments));

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":1} trailing")]
    [InlineData("{}{}")]
    [InlineData("{\"a\":1 /* comment */}")]
    [InlineData("{\"a\":tru}")]
    [InlineData("   ")]
    [InlineData("\uFEFF{}")]
    public void Parse_Malformed_IsAnError(string json)
    {
        var result = Parse(json);
        Assert.StartsWith("JSON parsing error: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8InString_IsAnError()
    {
        var result = JsonBodyParser.Parse([(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'], 10);
        Assert.Equal("JSON parsing error: invalid bytes in UTF8 string.", result.Error);
    }

    [Fact]
    public void Parse_ErrorMidway_KeepsEarlierValues()
    {
        var result = Parse("""{"a":"1","b":"2",""");
        Assert.NotNull(result.Error);
        Assert.Equal("json.a=1 | json.b=2", BodyAssert.Render(result.Arguments));
    }

    [Fact]
    public void Parse_EmptyBody_NoErrorNoValues()
    {
        var result = JsonBodyParser.Parse([], 10);
        Assert.Null(result.Error);
        Assert.Empty(result.Arguments);
    }

    [Theory]
    // ModSecurity counts every array and every object but a top-level one.
    [InlineData("""{"a":1}""", 0, true)]
    [InlineData("""{"a":{"b":1}}""", 1, true)]
    [InlineData("""{"a":{"b":1}}""", 0, false)]
    [InlineData("[1]", 0, false)]
    [InlineData("[1]", 1, true)]
    [InlineData("[[1]]", 1, false)]
    [InlineData("""{"a":[{"b":[1]}]}""", 3, true)]
    [InlineData("""{"a":[{"b":[1]}]}""", 2, false)]
    public void Parse_DepthLimit_CountsLikeModSecurity(string json, int maxDepth, bool ok)
    {
        var result = Parse(json, maxDepth);
        Assert.Equal(ok ? null : "JSON depth limit exceeded", result.Error);
    }

    [Fact]
    public void Parse_NegativeLimits_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonBodyParser.Parse("{}"u8, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonBodyParser.Parse("{}"u8, 10, -1));
    }

    [Fact]
    public void Parse_ArgumentsLimit_StopsWithAnError()
    {
        var result = JsonBodyParser.Parse("""{"a":1,"b":2,"c":3}"""u8, 10, maxArguments: 2);
        Assert.Equal("JSON: More than 2 arguments.", result.Error);
        Assert.Equal(2, result.Arguments.Count);
        Assert.Null(JsonBodyParser.Parse("""{"a":1,"b":2}"""u8, 10, maxArguments: 2).Error);
    }

    [Fact]
    public void Parse_HundredThousandNestedArrays_StopsAtTheLimit()
    {
        var json = new string('[', 100_000) + new string(']', 100_000);
        var watch = Stopwatch.StartNew();
        var result = Parse(json);
        watch.Stop();
        Assert.Equal("JSON depth limit exceeded", result.Error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Parse_LongKeyOverManyValues_StopsBeforeNamesExplode()
    {
        // 500 KB key above 50,000 values would otherwise build 25 GB of argument names.
        var json = "{\"" + new string('k', 500_000) + "\":[" + string.Join(',', Enumerable.Repeat("1", 50_000)) + "]}";
        var watch = Stopwatch.StartNew();
        var result = Parse(json);
        watch.Stop();
        Assert.Equal("JSON: Argument names too long.", result.Error);
        Assert.True(result.Arguments.Count < 100, $"{result.Arguments.Count} arguments");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
