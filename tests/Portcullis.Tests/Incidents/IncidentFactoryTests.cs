using Portcullis.Incidents;
using static Portcullis.Tests.Incidents.IncidentSamples;

namespace Portcullis.Tests.Incidents;

public sealed class IncidentFactoryTests
{
    [Fact]
    public void Create_BlockedEvent_CarriesRequestVerdictAndMatches()
    {
        var e = Event("abc123", "POST", "/blog/comments", "page=2", [Match(942100, "ARGS:comment", "1' or '1'='1", disruptive: false), Threshold()]);

        var incident = IncidentFactory.Create(e, "shop", [new("Host", "shop.test"), new("User-Agent", "curl/8")], Scores(10));

        Assert.Equal("abc123", incident.Id);
        Assert.Equal(Noon, incident.Timestamp);
        Assert.Equal("shop", incident.Site);
        Assert.Equal("203.0.113.7", incident.ClientIp);
        Assert.Equal("POST /blog/comments?page=2 HTTP/1.1", incident.RequestLine);
        Assert.Equal(("block", "blocked", 403, 949110), (incident.Mode, incident.Action, incident.Status, incident.DecidingRuleId));
        Assert.True(incident.WouldBlock);
        Assert.Equal(10, incident.Scores["inbound"]);
        Assert.Equal(["Host", "User-Agent"], incident.Headers.Select(h => h.Key));
        var match = incident.Matches[0];
        Assert.Equal((942100, 2, "ARGS:comment", "1' or '1'='1", "REQUEST-942-APPLICATION-ATTACK-SQLI.conf", 46),
            (match.Id, match.Phase, match.Variable, match.Value, match.File, match.Line));
        Assert.Equal(["application-multi", "attack-sqli"], match.Tags);
    }

    [Theory]
    [InlineData("detect", "detected", true, true)]
    [InlineData("detect", "detected", false, false)]
    public void Create_DetectMode_WouldBlockWhenThresholdRuleMatched(string mode, string action, bool thresholdMatched, bool expected)
    {
        List<Waf.Transactions.MatchedRule> matches = [Match(942100, "ARGS:q", "x")];
        if (thresholdMatched)
        {
            matches.Add(Threshold(disruptive: false));
        }

        var incident = IncidentFactory.Create(Event("d1", "GET", "/", "q=x", matches, mode, action), "shop", [], Scores(5));

        Assert.Equal(expected, incident.WouldBlock);
    }

    [Theory]
    [InlineData("Authorization", "Bearer eyJhbGciOi.secret.sig", "Bearer [redacted 21 bytes]")]
    [InlineData("Proxy-Authorization", "Basic dXNlcjpwYXNz", "Basic [redacted 12 bytes]")]
    [InlineData("X-Api-Key", "k-123456789", "[redacted 11 bytes]")]
    [InlineData("X-Auth-Token", "tok", "[redacted 3 bytes]")]
    [InlineData("Set-Cookie", "sid=1; Path=/", "[redacted 13 bytes]")]
    [InlineData("Cookie", "prefs=dark; session=s3cr3tvalue", "prefs=[redacted 4 bytes]; session=[redacted 11 bytes]")]
    [InlineData("User-Agent", "curl/8.5", "curl/8.5")]
    [InlineData("Referer", "https://shop.test/login?password=hunter22&x=1", "https://shop.test/login?password=[redacted 8 bytes]&x=1")]
    public void Create_Header_CredentialsRedacted(string name, string value, string expected)
    {
        var incident = IncidentFactory.Create(Event("h", "GET", "/", "", [Match(942100, "ARGS:q", "x")]), "shop", [new(name, value)], Scores(5));

        Assert.Equal(expected, Assert.Single(incident.Headers).Value);
        Assert.Equal(name, incident.Headers[0].Key);
    }

    [Theory]
    [InlineData("q=shoes&password=hunter2", "q=shoes&password=[redacted 7 bytes]")]
    [InlineData("user_password=a%20b&page=1", "user_password=[redacted 5 bytes]&page=1")]
    [InlineData("api%5Fkey=XYZW&token=&q=1", "api%5Fkey=[redacted 4 bytes]&token=[redacted 0 bytes]&q=1")]
    [InlineData("json.auth.token=abc", "json.auth.token=[redacted 3 bytes]")]
    [InlineData("comment=hello&sidebar=1", "comment=hello&sidebar=1")]
    public void Create_QueryArgument_SecretValueRedacted(string query, string expected)
    {
        var incident = IncidentFactory.Create(Event("q", "GET", "/", query, [Match(942100, "ARGS:q", "x")]), "shop", [], Scores(5));

        Assert.Equal(expected, incident.Query);
    }

    [Theory]
    [InlineData("ARGS:password", "hunter2' or 1=1")]
    [InlineData("ARGS_POST:new_passwd", "x' union select")]
    [InlineData("ARGS:json.auth.token", "abc<script>")]
    [InlineData("REQUEST_COOKIES:session", "1' or '1")]
    [InlineData("REQUEST_HEADERS:Authorization", "Basic JyBvcg==")]
    [InlineData("REQUEST_HEADERS:Cookie", "a=1' or 1=1")]
    public void Create_MatchOnSecretTarget_ValueAndDataRedacted(string variable, string value)
    {
        var data = $"Matched Data: {value} found within {variable}: {value}";
        var incident = IncidentFactory.Create(Event("m", "POST", "/login", "", [Match(942100, variable, value, data)]), "shop", [], Scores(5));

        var match = Assert.Single(incident.Matches);
        Assert.Equal(variable, match.Variable);
        Assert.Equal($"[redacted {value.Length} bytes]", match.Value);
        Assert.Equal($"[redacted {data.Length} bytes]", match.Data);
    }

    [Fact]
    public void Create_SecretCopiedIntoOtherMatch_Scrubbed()
    {
        // The same password shows up in a rule over ARGS:password and in one over the whole request line.
        var matches = new[]
        {
            Match(942100, "ARGS:password", "Tr0ub4dor&3"),
            Match(920100, "REQUEST_LINE", "GET /login?user=bob&password=Tr0ub4dor&3 HTTP/1.1"),
        };

        var incident = IncidentFactory.Create(Event("s", "GET", "/login", "user=bob&password=Tr0ub4dor%263", matches), "shop", [], Scores(5));

        Assert.All(incident.Matches, m => Assert.DoesNotContain("Tr0ub4dor", m.Value + m.Data, StringComparison.Ordinal));
        Assert.DoesNotContain("Tr0ub4dor", incident.Query, StringComparison.Ordinal);
        Assert.Contains("user=bob", incident.Matches[1].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_JsonBodySecretInRequestBodyMatch_Redacted()
    {
        var body = """{"user":"bob","auth":{"token":"abcdef123"},"comment":"x' or 1=1"}""";

        var incident = IncidentFactory.Create(Event("j", "POST", "/api", "", [Match(942100, "REQUEST_BODY", body)]), "shop", [], Scores(5));

        var value = Assert.Single(incident.Matches).Value;
        Assert.DoesNotContain("abcdef123", value, StringComparison.Ordinal);
        Assert.Contains("\"token\":\"[redacted 9 bytes]\"", value, StringComparison.Ordinal);
        Assert.Contains("x' or 1=1", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_HugeValues_BoundedToOneKilobyte()
    {
        var huge = new string('A', 100_000);
        var e = Event("b", "GET", "/" + huge, "q=" + huge, [Match(942100, "ARGS:q", huge, data: huge)]);

        var incident = IncidentFactory.Create(e, "shop", [new("User-Agent", huge)], Scores(5));

        var limit = IncidentRedactor.MaxValueLength + 3;
        Assert.All(new[] { incident.Path, incident.Query, incident.Headers[0].Value, incident.Matches[0].Value, incident.Matches[0].Data! },
            v => Assert.InRange(v.Length, IncidentRedactor.MaxValueLength, limit));
        Assert.EndsWith("...", incident.Matches[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ManyHeadersAndMatches_Capped()
    {
        var headers = Enumerable.Range(0, 500).Select(i => new KeyValuePair<string, string>($"X-H{i}", "v"));
        var matches = Enumerable.Range(0, 1000).Select(i => Match(942100, $"ARGS:a{i}", "x")).ToList();

        var incident = IncidentFactory.Create(Event("c", "GET", "/", "", matches), "shop", headers, Scores(5));

        Assert.Equal(IncidentFactory.MaxHeaders, incident.Headers.Count);
        Assert.Equal(IncidentFactory.MaxMatches, incident.Matches.Count);
    }

    [Fact]
    public void Create_NonAsciiPath_KeptAsUtf8Bytes()
    {
        // Kestrel decodes the path to UTF-16; incidents keep bytes, one char each, like the engine.
        var incident = IncidentFactory.Create(Event("u", "GET", "/café", "", [Match(942100, "ARGS:q", "x")]), "shop", [], Scores(5));

        Assert.Equal("/caf\u00c3\u00a9", incident.Path);
        Assert.All(incident.Path, c => Assert.True(c <= 0xFF));
    }

    [Fact]
    public void Create_EventWithoutVerdict_Throws()
    {
        var e = Event("n", "GET", "/", "", []);
        e.Waf = null;

        Assert.Throws<ArgumentException>(() => IncidentFactory.Create(e, "shop", [], Scores(0)));
    }

    [Fact]
    public void Create_HostileQueryOfManySecrets_StaysFast()
    {
        var query = string.Join('&', Enumerable.Range(0, 4000).Select(i => $"token{i}=v{i:D6}"));
        var matches = Enumerable.Range(0, 200).Select(i => Match(942100, "QUERY_STRING", query)).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var incident = IncidentFactory.Create(Event("h", "GET", "/", query, matches), "shop", [], Scores(5));

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.All(incident.Matches, m => Assert.DoesNotContain("=v0", m.Value, StringComparison.Ordinal));
        Assert.StartsWith("token0=[redacted 7 bytes]&token1=", incident.Query, StringComparison.Ordinal);
    }
}
