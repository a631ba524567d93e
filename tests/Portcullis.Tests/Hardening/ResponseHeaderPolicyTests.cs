using Microsoft.AspNetCore.Http;
using Portcullis.Configuration;
using Portcullis.Hardening;

namespace Portcullis.Tests.Hardening;

public sealed class ResponseHeaderPolicyTests
{
    private static HeadersConfig Headers(IEnumerable<(string Name, string Value)>? set = null, IEnumerable<string>? remove = null) => new()
    {
        Set = (set ?? []).ToDictionary(s => s.Name, s => s.Value, StringComparer.OrdinalIgnoreCase),
        Remove = [.. remove ?? []],
    };

    private static IHeaderDictionary Apply(ResponseHeaderPolicy policy, params (string Name, string Value)[] upstream)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var (name, value) in upstream)
        {
            headers.Append(name, value);
        }
        policy.Apply(headers);
        return headers;
    }

    private static readonly ResponseHeaderPolicy DefaultPolicy = new(HeadersConfig.Empty, HeadersConfig.Empty);

    [Theory]
    [InlineData("Server")]
    [InlineData("X-Powered-By")]
    [InlineData("X-AspNet-Version")]
    [InlineData("X-AspNetMvc-Version")]
    [InlineData("server")]
    [InlineData("x-powered-by")]
    public void Apply_VersionBanner_Stripped(string banner)
    {
        var headers = Apply(DefaultPolicy, (banner, "Kestrel/1.2.3"), ("Content-Type", "text/plain"));

        Assert.False(headers.ContainsKey(banner));
        Assert.Equal("text/plain", headers.ContentType);
    }

    [Fact]
    public void Apply_NoUpstreamHeaders_AddsHardeningDefaults()
    {
        var headers = Apply(DefaultPolicy);

        Assert.Equal(ResponseHeaderPolicy.DefaultHsts, headers.StrictTransportSecurity);
        Assert.Equal("max-age=63072000; includeSubDomains", headers.StrictTransportSecurity);
        Assert.Equal("nosniff", headers.XContentTypeOptions);
        Assert.Equal("strict-origin-when-cross-origin", headers["Referrer-Policy"]);
        Assert.Equal("SAMEORIGIN", headers.XFrameOptions);
        Assert.Equal(4, headers.Count);
    }

    [Theory]
    [InlineData("Strict-Transport-Security", "max-age=31536000")]
    [InlineData("X-Content-Type-Options", "nosniff")]
    [InlineData("Referrer-Policy", "no-referrer")]
    [InlineData("X-Frame-Options", "DENY")]
    [InlineData("referrer-policy", "same-origin")]
    public void Apply_UpstreamSentDefaultHeader_KeepsUpstreamValue(string name, string value)
    {
        var headers = Apply(DefaultPolicy, (name, value));

        Assert.Equal(value, headers[name]);
        Assert.Single(headers[name]);
        Assert.Equal(4, headers.Count); // the other three defaults are still added
    }

    [Theory]
    [InlineData("frame-ancestors 'self'")]
    [InlineData("default-src 'self'; frame-ancestors https://partner.example")]
    [InlineData("default-src 'self'; FRAME-ANCESTORS 'none'")]
    public void Apply_UpstreamCspHasFrameAncestors_NoXFrameOptions(string csp)
    {
        var headers = Apply(DefaultPolicy, ("Content-Security-Policy", csp));

        Assert.False(headers.ContainsKey("X-Frame-Options"));
        Assert.Equal(csp, headers.ContentSecurityPolicy);
        Assert.Equal("nosniff", headers.XContentTypeOptions); // the other defaults still apply
    }

    [Theory]
    [InlineData("Content-Security-Policy", "default-src 'self'")]
    [InlineData("Content-Security-Policy-Report-Only", "frame-ancestors 'none'")] // report-only does not protect
    public void Apply_NoEnforcedFrameAncestors_AddsXFrameOptions(string name, string csp)
    {
        var headers = Apply(DefaultPolicy, (name, csp));

        Assert.Equal("SAMEORIGIN", headers.XFrameOptions);
    }

    [Fact]
    public void Apply_FrameAncestorsInSecondCspHeader_NoXFrameOptions()
    {
        var headers = Apply(DefaultPolicy, ("Content-Security-Policy", "default-src 'self'"), ("Content-Security-Policy", "frame-ancestors 'self'"));

        Assert.False(headers.ContainsKey("X-Frame-Options"));
    }

    [Fact]
    public void Apply_SetCspReplacesUpstreamFrameAncestors_AddsXFrameOptions()
    {
        var policy = new ResponseHeaderPolicy(HeadersConfig.Empty, Headers(set: [("Content-Security-Policy", "default-src 'self'")]));

        var headers = Apply(policy, ("Content-Security-Policy", "frame-ancestors 'self'"));

        Assert.Equal("default-src 'self'", headers.ContentSecurityPolicy);
        Assert.Equal("SAMEORIGIN", headers.XFrameOptions);
    }

    [Fact]
    public void Apply_GlobalSet_OverridesUpstreamAndDefaults()
    {
        var policy = new ResponseHeaderPolicy(
            Headers(set: [("Referrer-Policy", "no-referrer"), ("Permissions-Policy", "camera=()")]), HeadersConfig.Empty);

        var headers = Apply(policy, ("Referrer-Policy", "unsafe-url"), ("Permissions-Policy", "camera=*"));

        Assert.Equal("no-referrer", headers["Referrer-Policy"]);
        Assert.Equal("camera=()", headers["Permissions-Policy"]);
        Assert.Equal("nosniff", headers.XContentTypeOptions);
    }

    [Fact]
    public void Apply_SiteSet_OverridesGlobalSetAndUpstream()
    {
        var policy = new ResponseHeaderPolicy(
            Headers(set: [("Referrer-Policy", "no-referrer"), ("X-Team", "global")]),
            Headers(set: [("referrer-policy", "same-origin")]));

        var headers = Apply(policy, ("Referrer-Policy", "unsafe-url"));

        Assert.Equal("same-origin", headers["Referrer-Policy"]);
        Assert.Single(headers["Referrer-Policy"]);
        Assert.Equal("global", headers["X-Team"]);
    }

    [Fact]
    public void Apply_SetHsts_ReplacesDefaultAndUpstream()
    {
        var policy = new ResponseHeaderPolicy(HeadersConfig.Empty, Headers(set: [("Strict-Transport-Security", "max-age=300")]));

        Assert.Equal("max-age=300", Apply(policy).StrictTransportSecurity);
        Assert.Equal("max-age=300", Apply(policy, ("Strict-Transport-Security", "max-age=0")).StrictTransportSecurity);
    }

    [Theory]
    [InlineData("Strict-Transport-Security")]
    [InlineData("X-Content-Type-Options")]
    [InlineData("Referrer-Policy")]
    [InlineData("X-Frame-Options")]
    [InlineData("x-frame-options")]
    public void Apply_EmptyValueInSiteSet_RemovesThatDefault(string name)
    {
        var policy = new ResponseHeaderPolicy(HeadersConfig.Empty, Headers(set: [(name, "")]));

        var headers = Apply(policy);

        Assert.False(headers.ContainsKey(name));
        Assert.Equal(3, headers.Count);
    }

    [Fact]
    public void Apply_EmptyValueInGlobalSet_RemovesDefaultUnlessSiteSetsIt()
    {
        var gateway = Headers(set: [("X-Frame-Options", "")]);

        var plain = Apply(new ResponseHeaderPolicy(gateway, HeadersConfig.Empty));
        var site = Apply(new ResponseHeaderPolicy(gateway, Headers(set: [("X-Frame-Options", "DENY")])));

        Assert.False(plain.ContainsKey("X-Frame-Options"));
        Assert.Equal("DENY", site.XFrameOptions);
    }

    [Fact]
    public void Apply_EmptyValueInSiteSet_CancelsGlobalSet()
    {
        var policy = new ResponseHeaderPolicy(Headers(set: [("Permissions-Policy", "camera=()")]), Headers(set: [("Permissions-Policy", "")]));

        Assert.False(Apply(policy).ContainsKey("Permissions-Policy"));
    }

    [Fact]
    public void Apply_EmptyValueInSet_KeepsUpstreamsOwnHeader()
    {
        // "Empty value: do not add that header" – it stops the gateway adding, it does not strip the application's.
        var policy = new ResponseHeaderPolicy(HeadersConfig.Empty, Headers(set: [("Referrer-Policy", "")]));

        Assert.Equal("no-referrer", Apply(policy, ("Referrer-Policy", "no-referrer"))["Referrer-Policy"]);
    }

    [Fact]
    public void Apply_Remove_StripsConfiguredHeadersFromGatewayAndSite()
    {
        var policy = new ResponseHeaderPolicy(Headers(remove: ["X-Debug"]), Headers(remove: ["x-backend-host"]));

        var headers = Apply(policy, ("X-Debug", "1"), ("X-Backend-Host", "10.0.0.7"), ("X-Keep", "yes"), ("Server", "nginx"));

        Assert.False(headers.ContainsKey("X-Debug"));
        Assert.False(headers.ContainsKey("X-Backend-Host"));
        Assert.False(headers.ContainsKey("Server"));
        Assert.Equal("yes", headers["X-Keep"]);
    }

    [Fact]
    public void Apply_RemoveDefaultHeader_StripsUpstreamValueAndAddsDefault()
    {
        var policy = new ResponseHeaderPolicy(HeadersConfig.Empty, Headers(remove: ["Strict-Transport-Security"]));

        var headers = Apply(policy, ("Strict-Transport-Security", "max-age=0"));

        Assert.Equal(ResponseHeaderPolicy.DefaultHsts, headers.StrictTransportSecurity);
    }

    [Fact]
    public void Apply_SetBanner_OperatorValueWins()
    {
        var policy = new ResponseHeaderPolicy(HeadersConfig.Empty, Headers(set: [("Server", "Portcullis")]));

        Assert.Equal("Portcullis", Apply(policy, ("Server", "Apache/2.4.1")).Server);
    }

    [Fact]
    public void Apply_Twice_SameResult()
    {
        var policy = new ResponseHeaderPolicy(Headers(set: [("X-Team", "a")]), HeadersConfig.Empty);
        var headers = Apply(policy, ("Server", "x"));

        policy.Apply(headers);

        Assert.Equal(5, headers.Count);
        Assert.Single(headers["X-Team"]);
    }

    [Fact]
    public void Effective_ListsDefaultsAndOverridesWithoutEmptyValues()
    {
        var policy = new ResponseHeaderPolicy(
            Headers(set: [("X-Frame-Options", ""), ("X-Team", "a")]),
            Headers(set: [("Referrer-Policy", "no-referrer")]));

        var effective = policy.Effective.ToDictionary(e => e.Name, e => e.Value, StringComparer.OrdinalIgnoreCase);

        Assert.Equal(4, effective.Count);
        Assert.Equal(ResponseHeaderPolicy.DefaultHsts, effective["Strict-Transport-Security"]);
        Assert.Equal("nosniff", effective["X-Content-Type-Options"]);
        Assert.Equal("no-referrer", effective["Referrer-Policy"]);
        Assert.Equal("a", effective["X-Team"]);
        Assert.False(effective.ContainsKey("X-Frame-Options"));
    }
}
