using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Portcullis.Acme.Protocol;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Acme;

public sealed class AcmeAccountKeyTests
{
    [Fact]
    public void Thumbprint_EphemeralKey_MatchesIndependentRfc7638Computation()
    {
        using var key = AcmeAccountKey.CreateEphemeral();

        // Independently: the required EC members (RFC 7638 §3.2) from a JsonObject in sorted order, serialized compactly.
        var members = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["y"] = key.Y, ["x"] = key.X, ["kty"] = "EC", ["crv"] = "P-256",
        };
        var json = new JsonObject();
        foreach (var (name, value) in members)
        {
            json[name] = value;
        }
        var canonical = json.ToJsonString();
        var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

        Assert.Equal(canonical, key.JwkJson);
        Assert.Equal(expected, key.Thumbprint);
        Assert.Equal(43, key.Thumbprint.Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(key.X).Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(key.Y).Length);
    }

    [Fact]
    public void LoadOrCreate_NoFile_CreatesOwnerOnlyPemThenReloadsSameKey()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "acme", "account.pem");

        string thumbprint;
        using (var created = AcmeAccountKey.LoadOrCreate(path))
        {
            thumbprint = created.Thumbprint;
        }
        using var loaded = AcmeAccountKey.LoadOrCreate(path);

        Assert.Equal(thumbprint, loaded.Thumbprint);
        Assert.Contains("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Equal(["account.pem"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void LoadOrCreate_ParallelFirstStarts_AllUseOneKey()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("account.pem");

        var thumbprints = Enumerable.Range(0, 8).AsParallel().Select(_ =>
        {
            using var key = AcmeAccountKey.LoadOrCreate(path);
            return key.Thumbprint;
        }).Distinct().ToArray();

        Assert.Single(thumbprints);
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void LoadOrCreate_P384Key_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var path = dir.Write("account.pem", other.ExportPkcs8PrivateKeyPem());

        var error = Assert.Throws<InvalidDataException>(() => AcmeAccountKey.LoadOrCreate(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("P-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrCreate_GarbageFile_ThrowsNamingFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("account.pem", "not a key");

        var error = Assert.Throws<InvalidDataException>(() => AcmeAccountKey.LoadOrCreate(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrCreate_KeyMadeByOpenSslStyleSec1Pem_Loads()
    {
        using var dir = new TempDirectory();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = dir.Write("account.pem", ec.ExportECPrivateKeyPem());

        using var key = AcmeAccountKey.LoadOrCreate(path);

        var q = ec.ExportParameters(false).Q;
        Assert.Equal(Base64Url.EncodeToString(q.X), key.X);
    }
}
