using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Audit.Targets;

/// <summary>
/// One RSA test PKI (root, intermediate, leaf for <see cref="HostName"/>) shared by a test class: RSA key generation
/// is the slow part of starting a target.
/// </summary>
public sealed class AuditPki : IAsyncLifetime, IDisposable
{
    public const string HostName = "audit.test";

    private readonly TempDirectory _dir = new();

    internal OpenSsl.Pki Pki { get; private set; } = null!;

    public async Task InitializeAsync() => Pki = await OpenSsl.CreateRsaChainAsync(_dir.Combine("pki"), HostName);

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _dir.Dispose();
}
