using System.Diagnostics;
using System.Net;
using System.Text;
using Portcullis.Audit;
using Portcullis.Audit.Tls;
using Portcullis.Tests.Audit.Targets;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Audit.Tls;

/// <summary>Ports that do not speak TLS get a Connection finding and a result, in bounded time; an unreachable host fails fast.</summary>
public sealed class TlsAuditorConnectionTests
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    public static TheoryData<string, string, string, string> NonTlsPorts => new()
    {
        { "plain HTTP", nameof(RawTcpTarget.Behaviour.Reply), "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "conn.not_tls" },
        { "garbage", nameof(RawTcpTarget.Behaviour.Reply), "\u0001\u00ff\u0010garbage that is not a TLS record at all \u0007", "conn.not_tls" },
        { "closes at once", nameof(RawTcpTarget.Behaviour.CloseAtOnce), "", "conn.no_handshake" },
        { "never answers", nameof(RawTcpTarget.Behaviour.Silent), "", "conn.no_answer" },
    };

    [Theory]
    [MemberData(nameof(NonTlsPorts))]
    public async Task RunAsync_PortWithoutTls_ReturnsConnectionFindingInBoundedTime(string what, string behaviourName, string reply, string expectedId)
    {
        var behaviour = Enum.Parse<RawTcpTarget.Behaviour>(behaviourName);
        await using var server = new RawTcpTarget(behaviour, Encoding.Latin1.GetBytes(reply));
        var target = new AuditTarget("127.0.0.1", server.Port, Timeout: ProbeTimeout);

        var watch = Stopwatch.StartNew();
        var result = await TlsAuditor.RunAsync(target, null, CancellationToken.None);
        watch.Stop();

        var finding = Assert.Single(result.Findings);
        Assert.Equal((expectedId, AuditArea.Connection), (finding.Id, finding.Area));
        Assert.DoesNotContain(result.Probe.Protocols, p => p.Accepted == true);
        Assert.Null(result.Certificate);
        Assert.True(server.Accepted >= 6, $"{what}: every protocol probe should have connected ({server.Accepted})");
        if (behaviour == RawTcpTarget.Behaviour.Reply && reply.StartsWith("HTTP", StringComparison.Ordinal))
        {
            Assert.Contains("HTTP/1.1 400", finding.Why, StringComparison.Ordinal); // the finding quotes what came back
        }
        // Six protocol probes run in parallel, each bounded by the timeout: one timeout plus slack, not six.
        Assert.True(watch.Elapsed < ProbeTimeout * 3 + TimeSpan.FromSeconds(2), $"{what}: took {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task RunAsync_NothingListening_ThrowsUnreachableAtOnce()
    {
        var port = TestPorts.GetFree();
        var target = new AuditTarget("127.0.0.1", port, Timeout: TimeSpan.FromSeconds(5));

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AuditUnreachableException>(() => TlsAuditor.RunAsync(target, null, CancellationToken.None));

        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>--ip: the name is only the SNI and the name to match, never resolved (.invalid could not be, RFC 2606 §2).</summary>
    [Fact]
    public async Task RunAsync_ExplicitAddress_ConnectsThereInsteadOfResolving()
    {
        await using var server = new RawTcpTarget(RawTcpTarget.Behaviour.CloseAtOnce);
        var target = new AuditTarget("no-such-host.invalid", server.Port, Address: IPAddress.Loopback, Timeout: ProbeTimeout);

        var result = await TlsAuditor.RunAsync(target, null, CancellationToken.None);

        Assert.Equal("conn.no_handshake", Assert.Single(result.Findings).Id);
    }
}
