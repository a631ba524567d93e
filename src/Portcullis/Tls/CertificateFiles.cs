using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Tls;

/// <summary>Loads PEM certificate chains and keys from disk.</summary>
internal static class CertificateFiles
{
    /// <summary>
    /// Reads the leaf (with its private key) and the intermediates that follow it in the same PEM file.
    /// Element 0 is the leaf. Throws <see cref="System.Security.Cryptography.CryptographicException"/> on bad input.
    /// </summary>
    public static X509Certificate2Collection LoadChain(string certPath, string keyPath)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certPath);
        if (all.Count == 0)
        {
            throw new System.Security.Cryptography.CryptographicException("the certificate file holds no PEM certificate");
        }
        using var leafWithKey = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        // Re-import through PKCS#12 so the private key is usable by OpenSSL-backed SslStream everywhere (ephemeral keys
        // from PEM work on Linux, but an exported/imported key also survives being handed across threads and contexts).
        var leaf = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null);
        var chain = new X509Certificate2Collection { leaf };
        for (var i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }
        all[0].Dispose();
        return chain;
    }
}
