using System.Globalization;
using System.Text.Json;
using Portcullis.Audit.Tls;

namespace Portcullis.Audit.Report;

/// <summary>Maps an <see cref="AuditReport"/> onto the documented JSON schema and writes it.</summary>
internal static class AuditJsonWriter
{
    /// <summary>Changes when a field is removed or changes meaning; new fields do not change it.</summary>
    public const string Schema = "portcullis-audit/1";

    /// <param name="asArray">Write an array even for one report (<c>--self</c>, whose site count varies).</param>
    public static string Write(IReadOnlyList<AuditReport> reports, string? failUnder, DateTimeOffset now, bool asArray)
    {
        var documents = reports.Select(r => ToJson(r, failUnder, now)).ToList();
        return documents.Count == 1 && !asArray
            ? JsonSerializer.Serialize(documents[0], AuditJsonContext.Default.AuditJson)
            : JsonSerializer.Serialize<IReadOnlyList<AuditJson>>(documents, AuditJsonContext.Default.IReadOnlyListAuditJson);
    }

    public static AuditJson ToJson(AuditReport report, string? failUnder, DateTimeOffset now)
    {
        var t = report.Target;
        var probe = report.Tls?.Probe;
        var http = report.Http;
        var page = http.Page;
        return new AuditJson(
            Schema,
            new AuditJsonTarget(t.Host, t.Port, t.ServerName, t.Address?.ToString(), t.HttpPort, t.CaFile),
            report.StartedAt,
            new AuditJsonTimings(Ms(report.Timings.Total), report.Timings.Tls is { } tls ? Ms(tls) : null, Ms(report.Timings.Http)),
            probe?.Protocols.Select(p => new AuditJsonProtocol(Name(p.Version), p.Accepted, p.Note)).ToList(),
            probe?.Suites.ToDictionary(kv => Name(kv.Key), kv => (IReadOnlyList<AuditJsonSuite>)[.. kv.Value.Select(Suite)]),
            probe is null ? null : new AuditJsonTls(probe.ServerEnforcesOrder, probe.Groups, probe.SmallestEphemeralBits,
                probe.SecureRenegotiation, probe.Compression, probe.FallbackScsv, probe.OcspStapled),
            report.Tls?.Certificate is { } c
                ? new AuditJsonCertificate([.. c.Chain.Select(s => new AuditJsonServedCertificate(s.Subject, s.Issuer, s.NotBefore, s.NotAfter,
                    s.KeyType, s.KeyBits, s.SignatureAlgorithm, s.Names, s.Sha256Fingerprint, s.SelfSigned))],
                    c.InOrder, c.Complete, c.Trusted, c.TrustProblem, c.NameMatches, (int)Math.Floor((c.Leaf.NotAfter - now).TotalDays))
                : null,
            new AuditJsonHttp(
                page?.Url.ToString() ?? $"https://{t.Host}:{t.Port}/",
                page?.Status,
                http.PageError,
                page?.CertificateVerified,
                http.Hsts is { } h ? new AuditJsonHsts(h.Raw, h.MaxAge, h.IncludeSubDomains, h.Preload, h.Problem) : null,
                http.Csp?.Directives.ToDictionary(d => d.Key, d => (IReadOnlyList<string>)[.. d.Value.Order(StringComparer.Ordinal)]),
                [.. http.Cookies.Select(k => new AuditJsonCookie(k.Name, k.Secure, k.HttpOnly, k.SameSite))],
                [.. http.Banners.Select(b => new AuditJsonBanner(b.Header, b.Product, b.VersionText,
                    b.EndOfLife?.Since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))],
                [.. http.Redirects.Select(r => new AuditJsonHop(r.Url.ToString(), r.Status))],
                http.HttpNote,
                [.. http.Outcomes.Select(Observatory)]),
            page is null ? [] : [.. page.Headers.Fields.Select(f => new AuditJsonHeader(f.Key, f.Value))],
            [.. report.Findings.Select(f => new AuditJsonFinding(f.Id, f.Area.ToString().ToLowerInvariant(), f.Severity.ToString().ToLowerInvariant(),
                f.Title, f.Why, f.Fix, f.PortcullisFix, f.NginxFix))],
            new AuditJsonGrades(Grade(report.TlsGrade), Grade(report.HttpGrade)),
            failUnder,
            failUnder is null ? null : report.Meets(failUnder));
    }

    /// <summary>"TLS 1.2", "SSL 3.0": how scanners and people write them.</summary>
    public static string Name(TlsVersion version) => version switch
    {
        TlsVersion.Ssl2 => "SSL 2.0",
        TlsVersion.Ssl3 => "SSL 3.0",
        TlsVersion.Tls10 => "TLS 1.0",
        TlsVersion.Tls11 => "TLS 1.1",
        TlsVersion.Tls12 => "TLS 1.2",
        TlsVersion.Tls13 => "TLS 1.3",
        _ => $"0x{(ushort)version:X4}",
    };

    private static AuditJsonObservatoryTest Observatory(Grading.ObservatoryOutcome outcome)
    {
        var score = Grading.ObservatoryScoreTable.Scores[outcome];
        return new AuditJsonObservatoryTest(score.Test, outcome.ToString(), score.Modifier);
    }

    private static AuditJsonSuite Suite(CipherSuite s) =>
        new($"0x{s.Code:X4}", s.Name, s.OpenSslName, s.KeyExchange, s.Encryption, s.Bits, s.Aead, s.ForwardSecrecy);

    private static AuditJsonGrade? Grade(Grade? grade) =>
        grade is null ? null : new AuditJsonGrade(grade.Letter, grade.Score, grade.Parts, grade.Reasons);

    private static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;
}
