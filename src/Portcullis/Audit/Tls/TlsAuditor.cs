using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Audit.Certificates;

namespace Portcullis.Audit.Tls;

/// <summary>
/// The TLS half of <c>portcullis audit</c>: resolve and connect once (an unreachable host fails fast), probe with
/// hand-built hellos, read the chain, judge it, and turn everything into findings. The grade is
/// <see cref="Grading.SslLabsGrader"/>'s job, because it needs the HSTS header from the HTTP half.
/// </summary>
internal static class TlsAuditor
{
    public static async Task<TlsAuditResult> RunAsync(AuditTarget target, IProgress<string>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var endpoint = await ResolveAsync(target, ct).ConfigureAwait(false);
        progress?.Report($"connecting to {endpoint}");
        await CheckReachableAsync(target, endpoint, ct).ConfigureAwait(false);

        using var client = new TlsProbeClient(endpoint, target.ServerName, target.ProbeTimeout);
        var scan = await new TlsProber(client, progress).ScanAsync(ct).ConfigureAwait(false);
        var findings = new List<AuditFinding>(ConnectionFindings.From(target, scan));
        findings.AddRange(TlsFindings.From(scan));

        CertificateReport? report = null;
        if (scan.SpeaksTls)
        {
            progress?.Report("certificate: reading and validating the chain");
            var der = scan.Chain.Count > 0 ? scan.Chain : await TlsChainFetcher.FetchAsync(endpoint, target.ServerName, target.ProbeTimeout, ct).ConfigureAwait(false);
            var served = Parse(der);
            if (served.Count > 0)
            {
                report = CertificateAnalyzer.Analyze(served, target.ServerName ?? target.Host.Trim('[', ']'), LoadExtraRoots(target.CaFile), DateTimeOffset.UtcNow);
                findings.AddRange(CertificateFindings.From(report));
            }
            else
            {
                findings.Add(new AuditFinding("cert.unreadable", AuditArea.Certificate, FindingSeverity.Medium, "The certificate chain could not be read",
                    "The server completed no handshake that showed its certificate, so trust, name and expiry are unchecked."));
            }
            foreach (var certificate in served)
            {
                certificate.Dispose();
            }
        }
        return new TlsAuditResult(scan.Probe, report, findings) { Elapsed = watch.Elapsed, Connections = client.Connections + 1 };
    }

    private static async Task<IPEndPoint> ResolveAsync(AuditTarget target, CancellationToken ct)
    {
        if (target.Address is { } address)
        {
            return new IPEndPoint(address, target.Port);
        }
        var host = target.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
        {
            return new IPEndPoint(literal, target.Port);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(target.ProbeTimeout);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, deadline.Token).ConfigureAwait(false);
            // Prefer IPv4, as sslscan -4 and most scanners do; the first address of the family is the one a client tries first.
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new AuditUnreachableException($"{host} has no address records");
            return new IPEndPoint(chosen, target.Port);
        }
        catch (SocketException e)
        {
            throw new AuditUnreachableException($"cannot resolve {host}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new AuditUnreachableException($"cannot resolve {host}: no DNS answer within {target.ProbeTimeout.TotalSeconds:0.#} s", e);
        }
    }

    /// <summary>One TCP connect bounded by the timeout: refused or silent means there is nothing to audit.</summary>
    private static async Task CheckReachableAsync(AuditTarget target, IPEndPoint endpoint, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(target.ProbeTimeout);
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint, deadline.Token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            // The command prefixes "HOST:PORT is unreachable: "; say only what happened, in the HTTP half's words.
            throw new AuditUnreachableException($"cannot connect to {endpoint}: {Describe(e.SocketErrorCode)}", e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new AuditUnreachableException($"cannot connect to {endpoint}: no answer to a TCP connect within {target.ProbeTimeout.TotalSeconds:0.#} s", e);
        }
    }

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused (nothing listens on that port)",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to host",
        SocketError.TimedOut => "connect timed out",
        _ => error.ToString(),
    };

    private static List<X509Certificate2> Parse(IReadOnlyList<byte[]> der)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var raw in der)
        {
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(raw));
            }
            catch (CryptographicException)
            {
                break; // a corrupt certificate ends the usable chain
            }
        }
        return certificates;
    }

    private static X509Certificate2Collection LoadExtraRoots(string? caFile)
    {
        var roots = new X509Certificate2Collection();
        if (caFile is not null)
        {
            roots.ImportFromPemFile(caFile);
        }
        return roots;
    }
}
