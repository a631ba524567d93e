using System.Globalization;

namespace Portcullis.Audit.Tls;

/// <summary>
/// Turns a probe result into findings a person can act on. Severity follows the grade impact: what caps at F is
/// critical, at C high, at B medium, a warning low.
/// </summary>
internal static class TlsFindings
{
    public static List<AuditFinding> From(TlsScan scan)
    {
        var findings = new List<AuditFinding>();
        var tls = scan.Probe;
        var accepted = tls.Protocols.Where(p => p.Accepted == true).Select(p => p.Version).ToHashSet();
        var suites = tls.Suites.SelectMany(s => s.Value.Select(suite => (Version: s.Key, Suite: suite))).ToList();
        if (accepted.Count == 0)
        {
            return findings;
        }

        void Add(string id, FindingSeverity severity, string title, string why, string fix, string? portcullis = TlsFixes.PortcullisProfile, string? nginx = TlsFixes.NginxProtocols) =>
            findings.Add(new AuditFinding(id, AuditArea.Tls, severity, title, why, fix, portcullis, nginx));

        if (accepted.Contains(TlsVersion.Ssl2))
        {
            Add("tls.protocol.ssl2", FindingSeverity.Critical, "SSLv2 is accepted",
                "SSLv2 is broken beyond repair (RFC 6176) and lets an attacker decrypt TLS sessions that share the key (DROWN).",
                "Turn SSLv2 off. " + TlsFixes.NeverOffered);
        }
        if (accepted.Contains(TlsVersion.Ssl3))
        {
            Add("tls.protocol.ssl3", FindingSeverity.Critical, "SSLv3 is accepted",
                "SSLv3 is prohibited (RFC 7568): POODLE decrypts its CBC records byte by byte.",
                "Turn SSLv3 off. " + TlsFixes.NeverOffered);
        }
        foreach (var (version, id) in new[] { (TlsVersion.Tls10, "tls.protocol.tls10"), (TlsVersion.Tls11, "tls.protocol.tls11") })
        {
            if (accepted.Contains(version))
            {
                Add(id, FindingSeverity.Medium, $"{TlsNames.Of(version)} is accepted",
                    $"{TlsNames.Of(version)} is deprecated (RFC 8996): SHA-1/MD5 in its handshake, CBC-only ciphers (BEAST, Lucky13); browsers dropped it in 2020 and SSL Labs caps the grade at B.",
                    $"Accept TLS 1.2 and 1.3 only. {TlsFixes.NeverOffered}");
            }
        }
        if (!accepted.Contains(TlsVersion.Tls12) && !accepted.Contains(TlsVersion.Tls13))
        {
            Add("tls.protocol.no_tls12", FindingSeverity.High, "Neither TLS 1.2 nor TLS 1.3 is accepted",
                "Only obsolete protocols are left; modern clients refuse to connect and SSL Labs caps the grade at C.",
                "Enable TLS 1.2 and 1.3. Portcullis always offers both (intermediate) or TLS 1.3 (modern).");
        }
        if (!accepted.Contains(TlsVersion.Tls13))
        {
            Add("tls.protocol.no_tls13", FindingSeverity.Low, "TLS 1.3 is not offered",
                "TLS 1.3 (RFC 8446) has only forward-secret AEAD suites and a faster handshake; SSL Labs 2009r makes its absence a warning (A- at best).",
                "Enable TLS 1.3. Portcullis offers it in both profiles.", nginx: TlsFixes.NginxProtocols);
        }

        var weak = new List<(string Id, FindingSeverity Severity, string Title, string Why, Func<CipherSuite, TlsVersion, bool> Match)>
        {
            ("tls.cipher.null", FindingSeverity.Critical, "NULL (unencrypted) suites are accepted", "Traffic is sent in clear text.", (s, _) => s.Bits == 0),
            ("tls.cipher.anonymous", FindingSeverity.Critical, "Anonymous key exchange suites are accepted", "The server is not authenticated: any man in the middle can pose as it.", (s, _) => s.KeyExchange.EndsWith("anon", StringComparison.Ordinal)),
            ("tls.cipher.export", FindingSeverity.Critical, "Export-grade suites are accepted", "512-bit key exchange and 40/56-bit ciphers are broken in minutes (FREAK, Logjam).", (s, _) => s.KeyExchange.EndsWith("EXPORT", StringComparison.Ordinal) || s.Bits is > 0 and < 112),
            ("tls.cipher.rc4", FindingSeverity.High, "RC4 suites are accepted", "RC4 biases let an attacker recover plaintext (RFC 7465 prohibits it).", (s, _) => s.Encryption.StartsWith("RC4", StringComparison.Ordinal)),
            ("tls.cipher.sweet32", FindingSeverity.High, "64-bit block ciphers (3DES, IDEA) are accepted", "Long connections leak plaintext through birthday collisions (SWEET32, CVE-2016-2183).", (s, _) => s.Encryption.StartsWith("3DES", StringComparison.Ordinal) || s.Encryption.StartsWith("IDEA", StringComparison.Ordinal) || s.Encryption.StartsWith("RC2", StringComparison.Ordinal)),
            ("tls.cipher.rsa_kx", FindingSeverity.Medium, "RSA key exchange suites are accepted", "No forward secrecy: whoever obtains the private key later decrypts every recorded session; RSA decryption oracles (ROBOT) target exactly these suites.", (s, _) => s.KeyExchange is "RSA" or "DH" or "ECDH" or "RSA-PSK"),
            ("tls.cipher.cbc", FindingSeverity.Low, "CBC-mode suites are accepted", "CBC with MAC-then-encrypt has a long record of padding-oracle attacks (Lucky13, POODLE variants, GOLDENDOODLE); AEAD suites do not.", (s, _) => s.Encryption.EndsWith("CBC", StringComparison.Ordinal)),
        };
        foreach (var (id, severity, title, why, match) in weak)
        {
            var hits = suites.Where(s => match(s.Suite, s.Version)).Select(s => s.Suite.OpenSslName).Distinct().ToList();
            if (hits.Count > 0)
            {
                Add(id, severity, title, $"{why} Accepted: {Summarize(hits)}.",
                    "Offer only ECDHE suites with AEAD ciphers (AES-GCM, ChaCha20-Poly1305). " + TlsFixes.NeverOffered, nginx: TlsFixes.NginxCiphers);
            }
        }
        if (suites.Count > 0 && !suites.Any(s => s.Suite.ForwardSecrecy))
        {
            Add("tls.cipher.no_forward_secrecy", FindingSeverity.Medium, "No suite offers forward secrecy",
                "Every session can be decrypted later with the server's private key; SSL Labs caps the grade at B.",
                "Offer ECDHE suites. " + TlsFixes.NeverOffered, nginx: TlsFixes.NginxCiphers);
        }
        if (suites.Count > 0 && !suites.Any(s => s.Suite.Aead))
        {
            Add("tls.cipher.no_aead", FindingSeverity.Medium, "No AEAD suite is offered",
                "Only CBC or stream ciphers remain; SSL Labs caps the grade at B.",
                "Offer AES-GCM or ChaCha20-Poly1305 suites. " + TlsFixes.NeverOffered, nginx: TlsFixes.NginxCiphers);
        }
        if (tls.SmallestEphemeralBits is { } bits && bits < 2048)
        {
            Add("tls.kx.weak_dh", bits < 1024 ? FindingSeverity.Critical : FindingSeverity.High, $"Ephemeral key exchange as weak as {bits.ToString(CultureInfo.InvariantCulture)} bits (RSA-equivalent)",
                "Diffie-Hellman groups under 2048 bits are within reach of precomputation (Logjam); SSL Labs caps the grade at B (F below 1024).",
                "Use ECDHE with X25519/P-256, or RFC 7919 ffdhe2048+. " + TlsFixes.NeverOffered,
                nginx: "ssl_dhparam /etc/nginx/ffdhe2048.pem;   # RFC 7919 group\n" + TlsFixes.NginxGroups);
        }
        if (tls.Compression == true)
        {
            Add("tls.compression", FindingSeverity.High, "TLS compression is on",
                "Compressing secrets together with attacker-chosen data leaks them through the record size (CRIME).",
                "Turn TLS compression off. " + TlsFixes.NeverOffered, nginx: "# nginx never compresses at the TLS layer; rebuild OpenSSL without zlib or upgrade it.");
        }
        if (tls.SecureRenegotiation == false)
        {
            Add("tls.renegotiation.insecure", FindingSeverity.Medium, "Secure renegotiation (RFC 5746) is not supported",
                "Without renegotiation_info a man in the middle can splice his own request in front of the client's (CVE-2009-3555); SSL Labs warns.",
                "Upgrade the TLS library. Portcullis runs with renegotiation off.", nginx: "# Upgrade OpenSSL (any version since 0.9.8m supports RFC 5746).");
        }
        if (tls.FallbackScsv == false)
        {
            Add("tls.fallback_scsv", FindingSeverity.Low, "TLS_FALLBACK_SCSV is ignored",
                "A downgraded retry is accepted (RFC 7507), so an attacker who breaks connections can push clients to the older protocols this server still has.",
                "Upgrade the TLS library or drop the old protocols. " + TlsFixes.NeverOffered);
        }
        if (tls.OcspStapled == false)
        {
            findings.Add(new AuditFinding("tls.ocsp.not_stapled", AuditArea.Tls, FindingSeverity.Info, "No OCSP response is stapled",
                "Clients must ask the CA themselves whether the certificate is revoked (slower, leaks the visit to the CA) or skip the check.",
                "Enable OCSP stapling. Portcullis staples automatically when the certificate names an http OCSP responder and its chain reaches a root.",
                TlsFixes.PortcullisCertificate, TlsFixes.NginxStapling));
        }
        if (tls.ServerEnforcesOrder == false && suites.Any(s => !s.Suite.Aead || !s.Suite.ForwardSecrecy))
        {
            Add("tls.cipher.client_order", FindingSeverity.Low, "The client chooses the suite while weak suites are on offer",
                "A client that prefers a weak suite gets it; only when every suite is strong is client choice fine (Mozilla).",
                "Remove the weak suites (or impose the server's order). " + TlsFixes.NeverOffered,
                nginx: TlsFixes.NginxCiphers);
        }
        return findings;
    }

    private static string Summarize(List<string> names) =>
        names.Count <= 6 ? string.Join(", ", names) : string.Join(", ", names.Take(6)) + $" and {(names.Count - 6).ToString(CultureInfo.InvariantCulture)} more";
}
