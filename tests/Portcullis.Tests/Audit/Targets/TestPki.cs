using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Audit.Targets;

/// <summary>
/// Certificates for audit targets, made with .NET's CertificateRequest: a root CA, an intermediate, and leaves with a
/// chosen flaw (expired, wrong name, SHA-1 signature, self-signed). Written as PEM files an <c>openssl s_server</c>
/// can serve; <see cref="RootPath"/> is what the audit gets as --ca.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _intermediate;

    public TestPki()
    {
        var now = DateTimeOffset.UtcNow;
        _root = CreateCa("Portcullis Audit Test Root", null, now.AddYears(-3), now.AddYears(3));
        _intermediate = CreateCa("Portcullis Audit Test Intermediate", _root, now.AddYears(-2), now.AddYears(2));
        RootPath = _dir.Write("root.pem", _root.ExportCertificatePem());
    }

    public string RootPath { get; }

    /// <summary>PEM files: the leaf, its key, and the intermediates to send after it (null: none).</summary>
    public sealed record Files(string Cert, string Key, string? Chain);

    /// <summary>A leaf for <paramref name="dnsName"/> issued by the intermediate; the intermediate is served too unless <paramref name="withIntermediate"/> is false.</summary>
    public Files Leaf(string file, string dnsName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null,
        bool withIntermediate = true, int rsaBits = 2048)
    {
        using var key = RSA.Create(rsaBits);
        var request = new CertificateRequest($"CN={dnsName}, O=Portcullis Audit Tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddLeafExtensions(request, dnsName);
        var now = DateTimeOffset.UtcNow;
        using var cert = request.Create(_intermediate, notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(90), RandomNumberGenerator.GetBytes(12));
        return new Files(_dir.Write(file + ".pem", cert.ExportCertificatePem()), _dir.Write(file + ".key", key.ExportPkcs8PrivateKeyPem()),
            withIntermediate ? _dir.Write(file + "-chain.pem", _intermediate.ExportCertificatePem()) : null);
    }

    /// <summary>
    /// A leaf signed by the intermediate with SHA-1. .NET refuses to create SHA-1 signatures, so the openssl CLI signs
    /// it, as an operator with an old CA would.
    /// </summary>
    public async Task<Files> Sha1LeafAsync(string file, string dnsName)
    {
        var interCert = _dir.Write("intermediate-ca.pem", _intermediate.ExportCertificatePem());
        using (var key = _intermediate.GetRSAPrivateKey()!)
        {
            _dir.Write("intermediate-ca.key", key.ExportPkcs8PrivateKeyPem());
        }
        var ext = _dir.Write(file + ".ext", $"subjectAltName=DNS:{dnsName}\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n");
        foreach (var step in new[]
        {
            new[] { "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", file + ".key", "-out", file + ".csr", "-subj", "/CN=" + dnsName },
            ["x509", "-req", "-in", file + ".csr", "-CA", interCert, "-CAkey", "intermediate-ca.key", "-set_serial", "77", "-days", "30", "-sha1", "-extfile", ext, "-out", file + ".pem"],
        })
        {
            var result = await OpenSsl.RunAsync(step, _dir.Path);
            Assert.True(result.ExitCode == 0, result.Describe());
        }
        return new Files(_dir.Combine(file + ".pem"), _dir.Combine(file + ".key"), _dir.Write(file + "-chain.pem", _intermediate.ExportCertificatePem()));
    }

    /// <summary>A self-signed RSA leaf for <paramref name="dnsName"/>.</summary>
    public Files SelfSigned(string file, string dnsName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddLeafExtensions(request, dnsName);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        return new Files(_dir.Write(file + ".pem", cert.ExportCertificatePem()), _dir.Write(file + ".key", key.ExportPkcs8PrivateKeyPem()), null);
    }

    private static void AddLeafExtensions(CertificateRequest request, string dnsName)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
    }

    private static X509Certificate2 CreateCa(string name, X509Certificate2? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}, O=Portcullis Audit Tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is not null, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }
        using var signed = request.Create(issuer, notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
        return signed.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        _root.Dispose();
        _intermediate.Dispose();
        _dir.Dispose();
    }
}
