using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Audit.Targets;

/// <summary>
/// One test PKI shared by a test class: a root CA (ca.pem, the file an audit gets as --ca), an intermediate, and a
/// leaf for <see cref="HostName"/> signed by the intermediate, served as chain.pem (leaf + intermediate) with
/// leaf.key. ECDSA P-256 and built in-process: RSA key generation by openssl can take many seconds on a loaded machine.
/// </summary>
public sealed class AuditPki : IAsyncLifetime, IDisposable
{
    public const string HostName = "audit.test";

    private readonly TempDirectory _dir = new();

    internal OpenSsl.Pki Pki { get; private set; } = null!;

    public Task InitializeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var rootRequest = CaRequest("CN=Portcullis Audit Test Root, O=Portcullis Tests", rootKey);
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        var intermediateRequest = CaRequest("CN=Portcullis Audit Test Intermediate, O=Portcullis Tests", intermediateKey);
        using var intermediate = intermediateRequest.Create(root, now.AddDays(-1), now.AddDays(29), [2]);

        var leafRequest = new CertificateRequest($"CN={HostName}, O=Portcullis Tests", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        using var intermediateWithKey = intermediate.CopyWithPrivateKey(intermediateKey);
        using var leaf = leafRequest.Create(intermediateWithKey, now.AddDays(-1), now.AddDays(28), [3]);

        var ca = _dir.Write("ca.pem", root.ExportCertificatePem() + "\n");
        var chain = _dir.Write("chain.pem", leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
        var key = _dir.Write("leaf.key", leafKey.ExportPkcs8PrivateKeyPem() + "\n");
        Pki = new OpenSsl.Pki(ca, chain, key);
        return Task.CompletedTask;
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _dir.Dispose();
}
