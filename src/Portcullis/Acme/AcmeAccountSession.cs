using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Portcullis.Acme.Protocol;
using Portcullis.Configuration;

namespace Portcullis.Acme;

/// <summary>
/// A client of one ACME directory with a registered account. The account key lives in
/// data_dir/acme/account-HASH.key (one per directory URL, 0600): the same key finds the same account again
/// (RFC 8555 §7.3.1), so a restart never creates a second account.
/// </summary>
internal sealed class AcmeAccountSession : IDisposable
{
    private readonly AcmeAccountKey _key;

    private AcmeAccountSession(AcmeConfig config, AcmeAccountKey key, AcmeClient client)
    {
        _key = key;
        Config = config;
        Client = client;
        Issuer = new AcmeIssuer(client);
    }

    public AcmeConfig Config { get; }

    public AcmeClient Client { get; }

    public AcmeIssuer Issuer { get; }

    public static string AccountKeyPath(string dataDir, Uri directory)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory.AbsoluteUri)))[..16];
        return Path.Combine(dataDir, "acme", $"account-{directory.Host}-{hash}.key");
    }

    public static async Task<AcmeAccountSession> OpenAsync(AcmeConfig config, string dataDir, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var keyPath = AccountKeyPath(dataDir, config.Directory);
        Directory.CreateDirectory(Path.GetDirectoryName(keyPath)!);
        var key = AcmeAccountKey.LoadOrCreate(keyPath);
        var options = new AcmeClientOptions { Directory = config.Directory, CaBundlePath = config.CaBundlePath, Time = time, Logger = logger };
        AcmeClient? client = null;
        try
        {
            var eab = config.ExternalAccount is { } external
                ? new ExternalAccountBinding(external.KeyId, Base64Url.EncodeToString(external.HmacKey))
                : null;
            client = await AcmeClient.CreateAsync(options, key, cancellationToken);
            await client.RegisterAsync(config.Email is { } email ? [email] : [], eab, cancellationToken);
            return new AcmeAccountSession(config, key, client);
        }
        catch
        {
            client?.Dispose();
            key.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        _key.Dispose();
    }
}
