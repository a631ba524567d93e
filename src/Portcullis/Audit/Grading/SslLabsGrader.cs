using Portcullis.Audit.Certificates;
using Portcullis.Audit.Tls;

namespace Portcullis.Audit.Grading;

/// <summary>
/// The SSL Labs SSL Server Rating Guide, version 2009r (16 May 2025), as notes/tls.md §1 lays it out and testssl.sh's
/// run_rating implements it: a numeric score from protocol support (30 %), key exchange (30 %) and cipher strength
/// (40 %); letter bands; caps (the lowest wins); T for an untrusted and M for a mismatched certificate; warnings that
/// turn A into A-; and A+ for an A without caps or warnings and with HSTS of at least six months.
/// </summary>
internal static class SslLabsGrader
{
    /// <summary>Six months, the A+ HSTS minimum (guide 2009e; testssl HSTS_MIN = 180 days).</summary>
    public const long HstsMinimumSeconds = 180L * 24 * 3600;

    private static readonly string[] Ladder = ["A+", "A", "A-", "B", "C", "D", "E", "F"];

    public static Grade Grade(TlsProbeResult tls, CertificateReport? cert, long? hstsMaxAgeSeconds)
    {
        var reasons = new List<string>();
        var caps = new List<(string Letter, string Why)>();
        void Cap(string letter, string why) => caps.Add((letter, why));

        var accepted = tls.Protocols.Where(p => p.Accepted == true).Select(p => p.Version).ToList();
        var suites = tls.Suites.SelectMany(s => s.Value.Select(suite => (Version: s.Key, Suite: suite))).ToList();
        if (accepted.Count == 0)
        {
            return new Grade("F", 0, Parts(0, 0, 0), ["no TLS handshake succeeded"]);
        }

        // 1. Protocol support: (best + worst) / 2 (RG §"Protocol support"). TLS 1.3 scores like TLS 1.2 (testssl).
        var protocolScores = accepted.Select(ProtocolScore).ToList();
        var protocol = (protocolScores.Max() + protocolScores.Min()) / 2;

        // 2. Key exchange: the weakest of the certificate key and the ephemeral keys, in RSA-equivalent bits.
        int keyExchange;
        if (suites.Any(s => s.Suite.KeyExchange is "DH-anon" or "ECDH-anon"))
        {
            keyExchange = 0;
            reasons.Add("anonymous (unauthenticated) key exchange accepted: key exchange scores 0");
        }
        else
        {
            var bits = new List<int>();
            if (cert is not null && cert.LeafRsaEquivalentBits > 0)
            {
                bits.Add(cert.LeafRsaEquivalentBits);
            }
            if (tls.SmallestEphemeralBits is { } ephemeral)
            {
                bits.Add(ephemeral);
            }
            if (suites.Any(s => s.Suite.KeyExchange.EndsWith("EXPORT", StringComparison.Ordinal)))
            {
                bits.Add(512); // export key exchange is capped at 512 bits by definition
            }
            keyExchange = bits.Count == 0 ? 0 : KeyExchangeScore(bits.Min());
        }

        // 3. Cipher strength: (strongest + weakest) / 2.
        var cipherBits = suites.Select(s => s.Suite.Bits).DefaultIfEmpty(0).ToList();
        var cipher = (CipherScore(cipherBits.Max()) + CipherScore(cipherBits.Min())) / 2;
        if (suites.Count == 0 && accepted.Contains(TlsVersion.Ssl2))
        {
            cipher = 20; // SSLv2 specs are not enumerated; SSLv2 caps at F below anyway
        }

        // "A zero in any category will push the overall score to zero" (RG step 3).
        var score = protocol == 0 || keyExchange == 0 || cipher == 0
            ? 0
            : (int)Math.Round(0.3 * protocol + 0.3 * keyExchange + 0.4 * cipher, MidpointRounding.AwayFromZero);
        var numeric = score switch
        {
            >= 80 => "A",
            >= 65 => "B",
            >= 50 => "C",
            >= 35 => "D",
            >= 20 => "E",
            _ => "F",
        };
        reasons.Add($"score {score} = 0.3 × protocol {protocol} + 0.3 × key exchange {keyExchange} + 0.4 × cipher {cipher} → {numeric}");

        // Caps (2009r as in notes/tls.md §1.2).
        if (accepted.Contains(TlsVersion.Ssl2))
        {
            Cap("F", "SSLv2 is accepted (DROWN)");
        }
        if (accepted.Max() == TlsVersion.Ssl3)
        {
            Cap("F", "SSLv3 is the best protocol offered");
        }
        if (accepted.Contains(TlsVersion.Ssl3))
        {
            Cap(suites.Any(s => s.Version == TlsVersion.Ssl3 && s.Suite.Encryption.EndsWith("CBC", StringComparison.Ordinal)) ? "C" : "B",
                "SSLv3 is accepted (POODLE when with CBC suites)");
        }
        if (accepted.Contains(TlsVersion.Tls10) || accepted.Contains(TlsVersion.Tls11))
        {
            Cap("B", "TLS 1.0 or TLS 1.1 is accepted (deprecated by RFC 8996)");
        }
        if (!accepted.Contains(TlsVersion.Tls12) && !accepted.Contains(TlsVersion.Tls13))
        {
            Cap("C", "neither TLS 1.2 nor TLS 1.3 is accepted");
        }
        if (suites.Count > 0 && !suites.Any(s => s.Suite.ForwardSecrecy))
        {
            Cap("B", "no suite with forward secrecy");
        }
        if (suites.Count > 0 && !suites.Any(s => s.Suite.Aead))
        {
            Cap("B", "no AEAD suite");
        }
        if (suites.Any(s => s.Suite.KeyExchange.EndsWith("EXPORT", StringComparison.Ordinal) || s.Suite.Bits < 112))
        {
            Cap("F", "export or < 112-bit suites are accepted (FREAK, Logjam, NULL, DES)");
        }
        if (suites.Any(s => s.Suite.Encryption.StartsWith("RC4", StringComparison.Ordinal)))
        {
            Cap(suites.Any(s => s.Suite.Encryption.StartsWith("RC4", StringComparison.Ordinal) && s.Version >= TlsVersion.Tls11) ? "C" : "B", "RC4 is accepted");
        }
        if (suites.Any(s => s.Version >= TlsVersion.Tls11 && Is64BitBlock(s.Suite)))
        {
            Cap("C", "a 64-bit block cipher (3DES, IDEA, RC2) is accepted with TLS 1.1+ (SWEET32)");
        }
        if (keyExchange is > 0 and <= 40)
        {
            Cap("F", "key exchange weaker than 1024 bits");
        }
        else if (keyExchange is > 40 and <= 80)
        {
            Cap("B", "key exchange weaker than 2048 bits");
        }
        if (tls.Compression == true)
        {
            Cap("C", "TLS compression is on (CRIME)");
        }
        if (cert is not null)
        {
            if (cert.Md5Signature)
            {
                Cap("F", "the certificate is signed with MD5/MD2");
            }
            if (!cert.Complete && cert.MissingIntermediateOnly)
            {
                Cap("B", "the chain is incomplete (an intermediate is missing)");
            }
        }

        // Warnings: any turns A into A- (2009r).
        var warnings = new List<string>();
        if (!accepted.Contains(TlsVersion.Tls13))
        {
            warnings.Add("TLS 1.3 is not offered");
        }
        if (hstsMaxAgeSeconds is not { } hsts || hsts < HstsMinimumSeconds)
        {
            warnings.Add(hstsMaxAgeSeconds is null ? "no HSTS header" : $"HSTS max-age {hstsMaxAgeSeconds} s is below six months");
        }
        if (tls.SecureRenegotiation == false)
        {
            warnings.Add("secure renegotiation (RFC 5746) is not supported");
        }

        var letter = numeric;
        foreach (var (capLetter, why) in caps)
        {
            reasons.Add($"cap {capLetter}: {why}");
            if (Rank(capLetter) > Rank(letter))
            {
                letter = capLetter;
            }
        }
        foreach (var warning in warnings)
        {
            reasons.Add("warning: " + warning);
        }
        if (letter == "A" && warnings.Count > 0)
        {
            letter = "A-";
        }
        else if (letter == "A" && caps.Count == 0 && cert is not null)
        {
            letter = "A+"; // a valid certificate is step 1 of the guide: without one there is no A+
        }

        // Certificate grades win over everything (RG steps 1 and 5).
        if (cert is not null)
        {
            var untrusted = !cert.Trusted && !cert.MissingIntermediateOnly;
            if (untrusted || cert.Sha1Signature)
            {
                reasons.Add("grade T: " + (cert.Sha1Signature ? "the certificate is signed with SHA-1" : "certificate not trusted: " + cert.TrustProblem));
                letter = "T";
            }
            else if (!cert.NameMatches)
            {
                reasons.Add($"grade M: the certificate does not cover {cert.ExpectedName}");
                letter = "M";
            }
        }
        else
        {
            reasons.Add("no certificate could be read; the grade ignores it");
        }
        if (letter == "A+")
        {
            // Said in words so a report of A+ explains itself like every other letter (the score line ends at A).
            reasons.Add("A+: an A with no cap and no warning (TLS 1.3, HSTS of at least 6 months) and a valid certificate");
        }
        return new Grade(letter, score, Parts(protocol, keyExchange, cipher), reasons);
    }

    private static Dictionary<string, int> Parts(int protocol, int keyExchange, int cipher) => new()
    {
        ["protocol"] = protocol,
        ["key_exchange"] = keyExchange,
        ["cipher_strength"] = cipher,
    };

    private static int Rank(string letter) => Array.IndexOf(Ladder, letter);

    private static bool Is64BitBlock(CipherSuite suite) =>
        suite.Encryption.StartsWith("3DES", StringComparison.Ordinal) || suite.Encryption.StartsWith("IDEA", StringComparison.Ordinal) || suite.Encryption.StartsWith("RC2", StringComparison.Ordinal);

    /// <summary>RG "Protocol support" table; SSLv2 20 (moot: it caps at F).</summary>
    internal static int ProtocolScore(TlsVersion version) => version switch
    {
        TlsVersion.Ssl2 => 20,
        TlsVersion.Ssl3 => 80,
        TlsVersion.Tls10 => 90,
        TlsVersion.Tls11 => 95,
        _ => 100,
    };

    /// <summary>RG "Key exchange" table, in RSA-equivalent bits.</summary>
    internal static int KeyExchangeScore(int bits) => bits switch
    {
        < 512 => 20,
        < 1024 => 40,
        < 2048 => 80,
        < 4096 => 90,
        _ => 100,
    };

    /// <summary>RG "Cipher strength" table.</summary>
    internal static int CipherScore(int bits) => bits switch
    {
        0 => 0,
        < 128 => 20,
        < 256 => 80,
        _ => 100,
    };
}
