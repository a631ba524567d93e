using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Portcullis.Acme.Protocol;

/// <summary>
/// The ACME account key: an ECDSA P-256 key that signs every request (ES256, RFC 8555 §6.2) and identifies the
/// account; its public half is sent as a JWK (RFC 7517) and its RFC 7638 thumbprint goes into key authorizations.
/// </summary>
internal sealed class AcmeAccountKey : IDisposable
{
    /// <summary>OID of the NIST P-256 curve (secp256r1, RFC 5480 §2.1.1.1).</summary>
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ECDsa _key;

    private AcmeAccountKey(ECDsa key)
    {
        _key = key;
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        X = Base64Url.EncodeToString(point.X);
        Y = Base64Url.EncodeToString(point.Y);
        // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace. Base64url text and the
        // constants need no JSON escaping, so the canonical form can be written directly.
        JwkJson = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{X}\",\"y\":\"{Y}\"}}";
        Thumbprint = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(JwkJson)));
    }

    /// <summary>The x coordinate, base64url (32 bytes for P-256, left-padded with zeros as RFC 7518 §6.2.1.2 requires).</summary>
    public string X { get; }

    /// <summary>The y coordinate, base64url.</summary>
    public string Y { get; }

    /// <summary>The public JWK in the canonical RFC 7638 form; also what the JWS "jwk" header carries.</summary>
    public string JwkJson { get; }

    /// <summary>base64url(SHA-256(canonical JWK)), RFC 7638 §3; the account part of every key authorization (RFC 8555 §8.1).</summary>
    public string Thumbprint { get; }

    /// <summary>
    /// Loads the key from <paramref name="pemPath"/>, or creates one there, race-free across processes
    /// (<see cref="Tls.PrivateFile"/>: no reader ever sees a partial or world-readable key).
    /// </summary>
    public static AcmeAccountKey LoadOrCreate(string pemPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(pemPath);
        var fullPath = Path.GetFullPath(pemPath);
        var pem = Tls.PrivateFile.ReadOrCreate(fullPath, NewPem, $"ACME account key {fullPath}");
        return Load(Encoding.ASCII.GetString(pem), fullPath);
    }

    private static byte[] NewPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A key that lives only in memory (tests, throw-away accounts).</summary>
    public static AcmeAccountKey CreateEphemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Signs <paramref name="data"/> with ES256: ECDSA P-256 over SHA-256, the signature as R || S (64 bytes, RFC 7518 §3.4), not DER.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();

    private static AcmeAccountKey Load(string pem, string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(includePrivateParameters: false).Curve.Oid?.Value != P256Oid)
            {
                throw new InvalidDataException($"ACME account key {path} is not on the P-256 curve");
            }
            return new AcmeAccountKey(key);
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new InvalidDataException($"ACME account key {path} is not a PEM ECDSA private key: {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new InvalidDataException($"ACME account key {path} cannot be read: {e.Message}", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
