using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Audit.Http;

/// <summary>
/// Whether the certificate an HTTPS exchange saw would satisfy a browser: trusted by the system store or the --ca file,
/// and naming the host. The HTTP audit accepts any certificate (judging it is the TLS half's job); it records this
/// only because the HTTP Observatory ignores HSTS served with an invalid certificate (RFC 6797 §8.1: a UA must not
/// note HSTS over a connection with certificate errors).
/// </summary>
internal static class CertificateCheck
{
    public static bool IsValid(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, string? caFile)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || caFile is null || certificate is null || !File.Exists(caFile))
        {
            return false;
        }
        using var leaf = new X509Certificate2(certificate);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (chain is not null)
        {
            // The intermediates the server sent.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }
        try
        {
            return custom.Build(leaf);
        }
        finally
        {
            foreach (var root in roots)
            {
                root.Dispose();
            }
        }
    }
}
