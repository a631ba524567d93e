using Portcullis.Audit.Http;

namespace Portcullis.Tests.Audit.Http;

/// <summary>How a policy is read: case rules of CSP3 §2.3.1 (keywords and hosts any case, hash and nonce values exact).</summary>
public sealed class CspPolicyTests
{
    [Fact]
    public void Parse_HashAndNonceSources_KeepTheirBase64CaseAndLowercaseTheRest()
    {
        var policy = CspPolicy.Parse(["DEFAULT-SRC 'NONE'; style-src 'SHA256-AbC+/xYz='; script-src 'nonce-QwErTy' HTTPS://CDN.Example.COM"], out var problem);

        Assert.Null(problem);
        Assert.Equal(["'none'"], policy!.Get("default-src")!);
        // A browser compares the base64 value as written; lowercasing it would describe a different stylesheet.
        Assert.Equal(["'sha256-AbC+/xYz='"], policy.Get("style-src")!);
        Assert.Equal(["'nonce-QwErTy'", "https://cdn.example.com"], policy.Get("script-src")!.Order(StringComparer.Ordinal));
    }
}
