using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Acme.Protocol;

/// <summary>Makes a fresh certificate key and the PKCS#10 request the finalize call sends (RFC 8555 §7.4, RFC 2986).</summary>
internal static class CsrBuilder
{
    /// <summary>ub-common-name (RFC 5280 Appendix A.1): a longer first host cannot be the CN; the SAN alone names it.</summary>
    private const int MaxCommonNameLength = 64;

    /// <summary>The CSR (DER) naming every host in the SAN, CN = the first host, and the new key as PKCS#8 PEM.</summary>
    public static (byte[] CsrDer, string KeyPem) Create(IReadOnlyList<string> hosts, CertificateKeyType keyType)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0)
        {
            throw new ArgumentException("a certificate request needs at least one host", nameof(hosts));
        }
        var identifiers = hosts.Select(AcmeIdentifier.For).Distinct().ToArray();
        var san = new SubjectAlternativeNameBuilder();
        foreach (var identifier in identifiers)
        {
            if (identifier.Type == "ip")
            {
                san.AddIpAddress(IPAddress.Parse(identifier.Value));
            }
            else
            {
                san.AddDnsName(identifier.Value);
            }
        }
        var first = identifiers[0];
        var subject = first.Type == "dns" && first.Value.Length <= MaxCommonNameLength
            ? BuildSubject(first.Value)
            : new X500DistinguishedName("");

        switch (keyType)
        {
            case CertificateKeyType.EcdsaP256:
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
                request.CertificateExtensions.Add(san.Build());
                return (request.CreateSigningRequest(), key.ExportPkcs8PrivateKeyPem());
            }
            case CertificateKeyType.Rsa2048:
            {
                using var key = RSA.Create(2048);
                var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                request.CertificateExtensions.Add(san.Build());
                return (request.CreateSigningRequest(), key.ExportPkcs8PrivateKeyPem());
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "unknown certificate key type");
        }
    }

    private static X500DistinguishedName BuildSubject(string commonName)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        return builder.Build();
    }
}
