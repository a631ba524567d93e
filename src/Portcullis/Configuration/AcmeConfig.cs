namespace Portcullis.Configuration;

/// <summary>
/// <c>tls.acme</c>: where sites with <c>tls: { acme: true }</c> get their certificates. One ACME account per
/// directory, kept in data_dir/acme.
/// </summary>
internal sealed record AcmeConfig
{
    public static readonly Uri LetsEncryptProduction = new("https://acme-v02.api.letsencrypt.org/directory");

    public static readonly Uri LetsEncryptStaging = new("https://acme-staging-v02.api.letsencrypt.org/directory");

    /// <summary>The ACME directory URL (RFC 8555 §7.1.1); HTTPS only.</summary>
    public Uri Directory { get; init; } = LetsEncryptProduction;

    /// <summary>Contact for expiry and policy mail from the CA; optional (Let's Encrypt accepts accounts without one).</summary>
    public string? Email { get; init; }

    /// <summary>PEM file of extra roots trusted for the ACME server's own TLS (a private CA, pebble's test root), absolute path.</summary>
    public string? CaBundlePath { get; init; }

    public AcmeChallengeKind Challenge { get; init; } = AcmeChallengeKind.Http01;

    public AcmeKeyType KeyType { get; init; } = AcmeKeyType.EcdsaP256;

    /// <summary>External account binding (RFC 8555 §7.3.4), for CAs that require one (ZeroSSL, Google, many private CAs).</summary>
    public AcmeExternalAccount? ExternalAccount { get; init; }
}

/// <summary>How the CA checks that we control a name: a file over plain HTTP on port 80, or a special TLS handshake on 443.</summary>
internal enum AcmeChallengeKind
{
    /// <summary>RFC 8555 §8.3: the CA fetches http://HOST/.well-known/acme-challenge/TOKEN from the plain-HTTP listener.</summary>
    Http01,

    /// <summary>RFC 8737: the CA connects to HOST:443 with ALPN acme-tls/1 and checks a self-signed challenge certificate.</summary>
    TlsAlpn01,
}

/// <summary>The key type of the certificates we order (the account key is always ECDSA P-256).</summary>
internal enum AcmeKeyType
{
    EcdsaP256,
    Rsa2048,
}

/// <summary>The key id and MAC key the CA gave for binding a new ACME account to an existing customer account.</summary>
internal sealed record AcmeExternalAccount(string KeyId, byte[] HmacKey)
{
    /// <summary>By value: equal settings after a reload must find the same open ACME session.</summary>
    public bool Equals(AcmeExternalAccount? other) =>
        other is not null && KeyId == other.KeyId && HmacKey.AsSpan().SequenceEqual(other.HmacKey);

    public override int GetHashCode() => HashCode.Combine(KeyId, HmacKey.Length);
}
