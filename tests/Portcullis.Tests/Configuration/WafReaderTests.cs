using Portcullis.Configuration;
using Portcullis.Tests.CrsTest;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Configuration;

public sealed class WafReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigLoadResult Load(string waf, string siteWaf = "") => ConfigLoader.Load(_dir.Write("portcullis.yaml", $$"""
        listen: { https: "127.0.0.1:8443" }
        {{waf}}
        sites:
          - name: app
            hosts: [app.example.com]
            {{siteWaf}}
            routes:
              - { path: /, upstreams: ["http://127.0.0.1:3000"] }
        """));

    [Fact]
    public void Load_NoWafSection_BlockAtParanoia1WithoutCrs()
    {
        var config = Load("").Config!;

        Assert.Null(config.Waf.CrsPath);
        Assert.Equal(WafMode.Block, config.Sites[0].Waf.Mode);
        Assert.Equal(1, config.Sites[0].Waf.Paranoia);
        Assert.Equal(13L * 1024 * 1024, config.Waf.RequestBodyLimit);
        Assert.False(config.Waf.RequestBodyLimitPartial);
    }

    [Fact]
    public void Load_FullWafSection_ReadsEverySettingAndSitesInherit()
    {
        var rules = _dir.Write("custom.conf", "SecAction \"id:1,phase:1,pass,nolog\"\n");
        var config = Load($$"""
            waf:
              crs: "{{CrsTestsDirectory.Crs()}}"
              rules: ["{{rules}}"]
              mode: detect
              paranoia: 2
              request_body_limit: 1MB
              request_body_limit_action: partial
              response_body_limit: 64KB
              response_mime_types: [text/html]
            """, "waf: { paranoia: 3 }").Config!;

        Assert.Equal(CrsTestsDirectory.Crs(), config.Waf.CrsPath);
        Assert.Equal([rules], config.Waf.RuleFiles);
        Assert.Equal(WafMode.Detect, config.Sites[0].Waf.Mode);
        Assert.Equal(3, config.Sites[0].Waf.Paranoia);
        Assert.Equal(1024 * 1024, config.Waf.RequestBodyLimit);
        Assert.True(config.Waf.RequestBodyLimitPartial);
        Assert.Equal(64 * 1024, config.Waf.ResponseBodyLimit);
        Assert.Equal(["text/html"], config.Waf.ResponseMimeTypes);
    }

    [Theory]
    [InlineData("waf: { mode: deny }", "waf.mode: 'deny' is not a mode; use off, detect or block.")]
    [InlineData("waf: { paranoia: 5 }", "waf.paranoia")]
    [InlineData("waf: { crs: /nonexistent/crs }", "is not a Core Rule Set folder")]
    [InlineData("waf: { rules: [/nonexistent/x.conf] }", "waf.rules: file '/nonexistent/x.conf' does not exist")]
    [InlineData("waf: { request_body_limit_action: drop }", "use reject (413 above the limit) or partial")]
    [InlineData("waf: { paranoya: 2 }", "Did you mean 'paranoia'?")]
    public void Load_BadWafSetting_ErrorAtItsLine(string waf, string expected)
    {
        var result = Load(waf);

        var error = Assert.Single(result.Errors);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Load_SiteModeOff_IsOffEvenWhenYamlReadsItAsFalse()
    {
        var config = Load("", "waf: { mode: off }").Config!;

        Assert.Equal(WafMode.Off, config.Sites[0].Waf.Mode);
    }

    [Fact]
    public void Load_TuningSettings_SiteOverridesAndAppendsExclusions()
    {
        var siteRules = _dir.Write("site.conf", "SecAction \"id:2,phase:1,pass,nolog\"\n");
        var config = Load("""
            waf:
              paranoia: 1
              detection_paranoia: 2
              anomaly_threshold: { inbound: 10, outbound: 8 }
              exclusions:
                - { rules: [920350] }
            """, $$"""
            waf:
                  paranoia: 2
                  anomaly_threshold: 7
                  rules: ["{{siteRules}}"]
                  exclusions:
                    - rules: [942100, 942200-942299]
                      targets: [ARGS:comment, "REQUEST_COOKIES:/^prefs/"]
                      path: /blog/comments
                      methods: [POST, PUT]
                    - tags: [attack-xss]
                      path: /editor
            """).Config!;

        var site = config.Sites[0].Waf;
        Assert.Equal(2, site.Paranoia);
        Assert.Equal(2, site.DetectionParanoia);
        Assert.Equal(7, site.InboundThreshold);
        Assert.Equal(8, site.OutboundThreshold);
        Assert.Equal([siteRules], site.RuleFiles);
        Assert.Equal(3, site.Exclusions.Count);
        Assert.Equal(["920350"], site.Exclusions[0].Rules);
        Assert.True(site.Exclusions[0].Unconditional);
        Assert.Equal(["942100", "942200-942299"], site.Exclusions[1].Rules);
        Assert.Equal(["ARGS:comment", "REQUEST_COOKIES:/^prefs/"], site.Exclusions[1].Targets);
        Assert.Equal("/blog/comments", site.Exclusions[1].Path);
        Assert.Equal(["POST", "PUT"], site.Exclusions[1].Methods);
        Assert.Equal(["attack-xss"], site.Exclusions[2].Tags);
        Assert.False(site.Exclusions[2].Unconditional);
    }

    [Theory]
    [InlineData("exclusions: [{ rules: [abc] }]", "'abc' is not a rule id")]
    [InlineData("exclusions: [{ path: /x }]", "say which rules it is about")]
    [InlineData("exclusions: [{ rules: [1], targets: [NOPE:x] }]", "unknown variable 'NOPE'")]
    [InlineData("exclusions: [{ rules: [1], targets: [\"!ARGS:x\"] }]", "write the target itself")]
    [InlineData("exclusions: [{ rules: [1], targets: [\"ARGS:a,ARGS:b\"] }]", "one variable")]
    [InlineData("exclusions: [{ rules: [1], path: blog }]", "must be a decoded path prefix starting with '/'")]
    [InlineData("exclusions: [{ rules: [1], methods: [post] }]", "write methods in capitals")]
    [InlineData("exclusions: [{ rules: [1], target: ARGS:x }]", "Did you mean 'targets'?")]
    [InlineData("{ paranoia: 3, detection_paranoia: 2 }", "below the blocking paranoia level 3")]
    [InlineData("anomaly_threshold: { inbound: 0 }", "out of range")]
    public void Load_BadTuning_ErrorAtItsLine(string waf, string expected)
    {
        var result = Load("waf: " + (waf.StartsWith('{') ? waf : "{ " + waf + " }"));

        var error = Assert.Single(result.Errors);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }
}
