using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Configuration;

/// <summary>Reads <c>tls.acme</c>: directory, email, ca_bundle, challenge, key_type, external_account.</summary>
internal static class AcmeReader
{
    public static AcmeConfig Read(YamlMap map, string baseDir)
    {
        var errors = map.Errors;
        var config = new AcmeConfig();
        var directory = config.Directory;
        if (map.Get("directory") is { } directoryNode && map.String("directory") is { } text)
        {
            directory = text switch
            {
                "letsencrypt" => AcmeConfig.LetsEncryptProduction,
                "letsencrypt-staging" => AcmeConfig.LetsEncryptStaging,
                _ when Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps => uri,
                _ => Fail(directoryNode, directory, $"tls.acme.directory: '{text}' is not an https:// URL; give the CA's ACME directory URL (RFC 8555 requires HTTPS), or letsencrypt / letsencrypt-staging."),
            };
        }
        var email = map.String("email");
        if (email is not null && map.Get("email") is { } emailNode && !LooksLikeEmail(email))
        {
            errors.Add(emailNode, $"tls.acme.email: '{email}' is not an email address; give one like ops@example.com (the CA sends expiry warnings there), or leave email out.");
        }
        var caBundle = map.String("ca_bundle") is { Length: > 0 } b ? Path.GetFullPath(b, baseDir) : null;
        if (caBundle is not null && map.Get("ca_bundle") is { } bundleNode)
        {
            CheckBundle(bundleNode, caBundle, errors);
        }
        var challenge = config.Challenge;
        if (map.Get("challenge") is { } challengeNode)
        {
            challenge = map.String("challenge") switch
            {
                "http-01" => AcmeChallengeKind.Http01,
                "tls-alpn-01" => AcmeChallengeKind.TlsAlpn01,
                var other => Fail(challengeNode, challenge, $"tls.acme.challenge: '{other}' is not a challenge this gateway answers; use http-01 (needs listen.http on port 80) or tls-alpn-01 (on the HTTPS port 443)."),
            };
        }
        var keyType = config.KeyType;
        if (map.Get("key_type") is { } keyNode)
        {
            keyType = map.String("key_type") switch
            {
                "ecdsa" or "ecdsa-p256" => AcmeKeyType.EcdsaP256,
                "rsa" or "rsa2048" => AcmeKeyType.Rsa2048,
                var other => Fail(keyNode, keyType, $"tls.acme.key_type: '{other}' is not a key type; use ecdsa (P-256, the default) or rsa2048."),
            };
        }
        var external = map.Map("external_account") is { } eab ? ReadExternalAccount(eab) : null;
        map.RejectUnknownKeys();
        return config with { Directory = directory, Email = email, CaBundlePath = caBundle, Challenge = challenge, KeyType = keyType, ExternalAccount = external };

        T Fail<T>(YamlDotNet.RepresentationModel.YamlNode node, T keep, string message)
        {
            errors.Add(node, message);
            return keep;
        }
    }

    private static AcmeExternalAccount? ReadExternalAccount(YamlMap map)
    {
        var kidNode = map.Required("key_id", "give the key id your CA shows with the EAB credentials.");
        var macNode = map.Required("hmac_key", "give the base64url HMAC key your CA shows with the EAB credentials.");
        var kid = map.String("key_id");
        var mac = map.String("hmac_key");
        map.RejectUnknownKeys();
        if (kidNode is null || macNode is null || string.IsNullOrEmpty(kid) || mac is null)
        {
            return null;
        }
        var bytes = new byte[Base64Url.GetMaxDecodedLength(mac.Length)];
        // TryDecodeFromChars throws (not returns false) on characters outside the alphabet: check first.
        if (mac.Length == 0 || !Base64Url.IsValid(mac.AsSpan().TrimEnd('=')) || !Base64Url.TryDecodeFromChars(mac.AsSpan().TrimEnd('='), bytes, out var written))
        {
            map.Errors.Add(macNode, "tls.acme.external_account.hmac_key: not base64url; paste the key exactly as your CA shows it.");
            return null;
        }
        return new AcmeExternalAccount(kid, bytes[..written]);
    }

    private static void CheckBundle(YamlDotNet.RepresentationModel.YamlNode node, string path, ConfigErrorList errors)
    {
        if (!File.Exists(path))
        {
            errors.Add(node, $"tls.acme.ca_bundle: file '{path}' does not exist; give a PEM file with the root(s) that sign the ACME server's TLS certificate.");
            return;
        }
        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            if (roots.Count == 0)
            {
                errors.Add(node, $"tls.acme.ca_bundle: '{path}' holds no PEM certificate; give a file with -----BEGIN CERTIFICATE----- blocks.");
            }
            foreach (var root in roots)
            {
                root.Dispose();
            }
        }
        catch (CryptographicException ex)
        {
            errors.Add(node, $"tls.acme.ca_bundle: cannot read '{path}': {ex.Message.TrimEnd('.')}. Give a PEM file of certificates.");
        }
    }

    /// <summary>A light check that catches typos (the CA does the real validation and its refusal is logged).</summary>
    internal static bool LooksLikeEmail(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == text.LastIndexOf('@') && at < text.Length - 1 && text.IndexOfAny([' ', ',', ';', ':', '<', '>']) < 0
               && !text.EndsWith('.') && text.AsSpan(at + 1).Contains('.');
    }
}
