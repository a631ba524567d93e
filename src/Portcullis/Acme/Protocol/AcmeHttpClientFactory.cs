using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Acme.Protocol;

/// <summary>The HttpClient an <see cref="AcmeClient"/> talks to its CA with.</summary>
internal static class AcmeHttpClientFactory
{
    public static HttpClient Create(AcmeClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // ACME never redirects; following one could send a signed request somewhere the directory did not name.
            AllowAutoRedirect = false,
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        if (options.CaBundlePath is not null)
        {
            var roots = LoadBundle(options.CaBundlePath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                IsTrusted(certificate, chain, errors, roots);
        }
        var client = new HttpClient(handler, disposeHandler: true)
        {
            // Each call has its own deadline (AcmeClientOptions.RequestTimeout, linked to the caller's token).
            Timeout = Timeout.InfiniteTimeSpan,
        };
        // RFC 8555 §6.1: clients MUST send a User-Agent.
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Portcullis", Portcullis.Hosting.Version.Current));
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("(ACME; RFC 8555)"));
        return client;
    }

    private static X509Certificate2Collection LoadBundle(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new AcmeException($"ACME CA bundle {path} cannot be read: {e.Message}", e);
        }
        if (roots.Count == 0)
        {
            throw new AcmeException($"ACME CA bundle {path} holds no PEM certificate");
        }
        return roots;
    }

    /// <summary>
    /// The system's verdict stands when it is positive; otherwise the chain is rebuilt with the bundle's roots as the
    /// only anchors. The host name must match either way (a name mismatch is never forgiven).
    /// </summary>
    private static bool IsTrusted(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
