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

    /// <summary>How long a concurrent first start waits for the process that claimed the key file to finish writing it.</summary>
    private static readonly TimeSpan ClaimWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Loads the key from <paramref name="pemPath"/>, or creates one there. Creating is race-free across processes:
    /// the path is first claimed with an exclusive create (O_EXCL, mode 0600), then the key is written to a 0600 temp
    /// file, flushed, and renamed over the claim, so no reader ever sees a partial or world-readable key. A process
    /// that loses the claim waits for the winner's key and uses it. (File.Move without overwrite is a check followed
    /// by rename() on Unix, so it cannot decide the race by itself.)
    /// </summary>
    public static AcmeAccountKey LoadOrCreate(string pemPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(pemPath);
        var fullPath = Path.GetFullPath(pemPath);
        if (File.Exists(fullPath))
        {
            return LoadWhenWritten(fullPath);
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        try
        {
            using (CreatePrivate(fullPath))
            {
                // The empty claim: from here on this process is the only writer.
            }
        }
        catch (IOException) when (File.Exists(fullPath))
        {
            return LoadWhenWritten(fullPath);
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = CreatePrivate(temp))
            {
                stream.Write(Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, fullPath, overwrite: true);
            return new AcmeAccountKey(key);
        }
        catch
        {
            key.Dispose();
            TryDelete(temp);
            TryDelete(fullPath);
            throw;
        }
    }

    /// <summary>A key that lives only in memory (tests, throw-away accounts).</summary>
    public static AcmeAccountKey CreateEphemeral() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Signs <paramref name="data"/> with ES256: ECDSA P-256 over SHA-256, the signature as R || S (64 bytes, RFC 7518 §3.4), not DER.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();

    private static AcmeAccountKey Load(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
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

    private static FileStream CreatePrivate(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        return new FileStream(path, options);
    }

    /// <summary>An empty file is another process's claim still being written; wait (bounded) for its rename.</summary>
    private static AcmeAccountKey LoadWhenWritten(string path)
    {
        var deadline = DateTime.UtcNow + ClaimWait;
        while (new FileInfo(path).Length == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidDataException($"ACME account key {path} is empty (a first start interrupted while creating it?); delete it to create a new key");
            }
            Thread.Sleep(20);
        }
        return Load(path);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless; the key itself is what matters.
        }
    }
}
