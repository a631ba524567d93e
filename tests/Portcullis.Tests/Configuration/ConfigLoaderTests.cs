using Portcullis.Configuration;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigLoadResult Load(string yaml) => ConfigLoader.Load(_dir.Write("portcullis.yaml", yaml));

    private const string Minimal = """
        listen: { https: "127.0.0.1:8443", http: "127.0.0.1:8080" }
        sites:
          - name: app
            hosts: [app.example.com]
            routes:
              - { path: /, upstreams: ["http://127.0.0.1:3000"] }
        """;

    [Fact]
    public void Load_MinimalConfig_AppliesDefaults()
    {
        var result = Load(Minimal);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var config = result.Config!;
        Assert.Equal(8443, config.Listen.Https.Port);
        Assert.Equal(8080, config.Listen.Http!.Port);
        Assert.Equal(Path.Combine(_dir.Path, "portcullis-data"), config.DataDir);
        Assert.Equal(TlsProfile.Intermediate, config.Tls.Profile);
        var site = Assert.Single(config.Sites);
        Assert.Same(site, config.DefaultSite);
        Assert.True(site.Tls.SelfSigned);
        var route = Assert.Single(site.Routes);
        Assert.Equal(TimeSpan.FromSeconds(60), route.Timeout);
        Assert.Equal(LoadBalancingPolicy.RoundRobin, route.LoadBalancing);
        Assert.Equal(new Uri("http://127.0.0.1:3000"), Assert.Single(route.Upstreams));
    }

    [Fact]
    public void Load_FullConfig_ReadsEverySetting()
    {
        var yaml = """
            data_dir: ./state
            listen: { https: "[::1]:9443", http: off }
            tls: { profile: modern, strict_sni: true }
            trusted_proxies: [10.0.0.0/8, 192.168.1.5]
            headers: { set: { Permissions-Policy: "camera=()" }, remove: [X-Debug] }
            limits:
              max_request_line_size: 4KB
              max_request_headers_size: 16KB
              max_request_header_count: 50
              request_headers_timeout: 10s
              keepalive_timeout: 30s
              min_request_data_rate: 100
              min_response_data_rate: 200
              data_rate_grace_period: 3s
              max_body_size: 10MB
              http2_max_streams: 64
              max_connections: 500
            proxy: { connect_timeout: 500ms }
            log: { file: true, stdout: true, max_size: 1MB, keep: 3 }
            sites:
              - name: shop
                hosts: [shop.example.com, "*.shop.example.com"]
                headers: { set: { X-Frame-Options: DENY } }
                routes:
                  - path: /api/
                    upstreams: ["http://127.0.0.1:3001", "http://127.0.0.1:3002/base"]
                    load_balancing: least_requests
                    timeout: 5s
                    max_body_size: 1MB
                    health_check: { path: /healthz, interval: 2s, timeout: 1s, passive_failures: 5, passive_cooldown: 30s }
                  - { path: /, upstreams: ["https://127.0.0.1:3443"] }
              - name: blog
                default: true
                hosts: [blog.example.com]
                routes: [{ path: /, upstreams: ["http://127.0.0.1:4000"] }]
            """;

        var result = Load(yaml);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var config = result.Config!;
        Assert.Equal(Path.Combine(_dir.Path, "state"), config.DataDir);
        Assert.Null(config.Listen.Http);
        Assert.Equal(9443, config.Listen.Https.Port);
        Assert.Equal(TlsProfile.Modern, config.Tls.Profile);
        Assert.True(config.Tls.StrictSni);
        Assert.Equal(2, config.TrustedProxies.Count);
        Assert.Equal("camera=()", config.Headers.Set["Permissions-Policy"]);
        Assert.Equal(4096, config.Limits.MaxRequestLineSize);
        Assert.Equal(50, config.Limits.MaxRequestHeaderCount);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Limits.RequestHeadersTimeout);
        Assert.Equal(10L << 20, config.Limits.MaxBodySize);
        Assert.Equal(500, config.Limits.MaxConnections);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.Proxy.ConnectTimeout);
        Assert.True(config.Log.Stdout);
        Assert.Equal(3, config.Log.KeepFiles);
        Assert.Equal("blog", config.DefaultSite.Name);
        var shop = config.Sites[0];
        Assert.Equal(["shop.example.com", "*.shop.example.com"], shop.Hosts);
        var api = shop.Routes[0];
        Assert.Equal("/api", api.Path);
        Assert.Equal(LoadBalancingPolicy.LeastRequests, api.LoadBalancing);
        Assert.Equal(TimeSpan.FromSeconds(5), api.Timeout);
        Assert.Equal(1L << 20, api.MaxBodySize);
        Assert.Equal("/healthz", api.HealthCheck.Path);
        Assert.Equal(5, api.HealthCheck.PassiveFailures);
    }

    [Fact]
    public void Load_UnknownKey_ReportsFileLineColumnAndSuggestion()
    {
        var yaml = Minimal.Replace("    hosts: [app.example.com]", "    hosts: [app.example.com]\n    hostz: [x]", StringComparison.Ordinal);

        var result = Load(yaml);

        var error = Assert.Single(result.Errors);
        Assert.Equal(_dir.Combine("portcullis.yaml"), error.File);
        Assert.Equal(5, error.Line);
        Assert.Equal(5, error.Column);
        Assert.Contains("unknown key 'hostz'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'hosts'?", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{_dir.Combine("portcullis.yaml")}:5:5: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:3000")]
    [InlineData("127.0.0.1:3000")]
    [InlineData("http://user:pw@127.0.0.1:3000")]
    [InlineData("http://127.0.0.1:3000/?x=1")]
    public void Load_BadUpstreamUrl_IsAnErrorAtItsLine(string url)
    {
        var result = Load(Minimal.Replace("http://127.0.0.1:3000", url, StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal(6, error.Line);
        Assert.Contains("is not an upstream URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DuplicateSiteNameAndHost_BothReportedWithTheFirstLine()
    {
        var yaml = Minimal + """

              - name: app
                hosts: [APP.example.com]
                routes: [{ path: /, upstreams: ["http://127.0.0.1:3001"] }]
            """;

        var result = Load(yaml);

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Line == 7 && e.Message.Contains("duplicate site name; the site at line 3", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 8 && e.Message.Contains("'app.example.com' is already served by site 'app'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingCertificateFiles_AreErrors()
    {
        var yaml = Minimal.Replace("    routes:", "    tls: { cert: missing.pem, key: missing.key }\n    routes:", StringComparison.Ordinal);

        var result = Load(yaml);

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal(5, e.Line));
        Assert.Contains(result.Errors, e => e.Message.Contains($"file '{_dir.Combine("missing.pem")}' does not exist", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message.Contains("tls.key", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_CertificateThatIsNotPem_IsAnError()
    {
        _dir.Write("bad.pem", "not a certificate");
        _dir.Write("bad.key", "not a key");
        var yaml = Minimal.Replace("    routes:", "    tls: { cert: bad.pem, key: bad.key }\n    routes:", StringComparison.Ordinal);

        var result = Load(yaml);

        var error = Assert.Single(result.Errors);
        Assert.Contains("cannot use 'bad.pem' with 'bad.key'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManyMistakes_AllReportedAtOnce()
    {
        var yaml = """
            listen: { https: "nowhere" }
            tls: { profile: ancient }
            limits: { request_headers_timeout: 10, max_body_size: lots }
            sites:
              - name: "bad name"
                hosts: ["http://x.example.com/"]
                routes:
                  - { path: api, upstreams: [] , load_balancing: random }
            """;

        var result = Load(yaml);

        Assert.Null(result.Config);
        Assert.Contains(result.Errors, e => e.Line == 1 && e.Message.Contains("is not an address:port", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 2 && e.Message.Contains("'ancient' is not a profile", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 3 && e.Message.Contains("'10' is not a duration", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 3 && e.Message.Contains("'lots' is not a size", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 5 && e.Message.Contains("'bad name' is not a valid name", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 6 && e.Message.Contains("is not a host name", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 8 && e.Message.Contains("'api' is not a path prefix", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 8 && e.Message.Contains("'random' is not a policy", StringComparison.Ordinal));
        Assert.True(result.Errors.Count >= 8, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Load_WrongType_SaysWhatWasExpected()
    {
        var result = Load(Minimal.Replace("hosts: [app.example.com]", "hosts: app.example.com", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.Contains("expected a list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidYaml_ReportsPosition()
    {
        var result = Load("sites:\n  - name: [unclosed\n");

        var error = Assert.Single(result.Errors);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2);
    }

    [Fact]
    public void Load_NotYetSupportedSection_SaysSo()
    {
        var result = Load(Minimal + "\ndefense: { bans: true }\n");

        var error = Assert.Single(result.Errors);
        Assert.Contains("'defense' is not supported by this version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TwoDefaultSites_IsAnError()
    {
        var yaml = """
            sites:
              - { name: a, default: true, hosts: [a.test], routes: [{ path: /, upstreams: ["http://127.0.0.1:1"] }] }
              - { name: b, default: true, hosts: [b.test], routes: [{ path: /, upstreams: ["http://127.0.0.1:2"] }] }
            """;

        var error = Assert.Single(Load(yaml).Errors);
        Assert.Contains("only one site can be the default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_IsAnError()
    {
        var result = ConfigLoader.Load(_dir.Combine("nope.yaml"));

        Assert.Contains("cannot read the config file", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }
}
