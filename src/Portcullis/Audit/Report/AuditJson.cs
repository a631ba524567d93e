namespace Portcullis.Audit.Report;

// The --json report (docs/audit.md "JSON report" documents every field). Plain records so the schema is visible in
// one place and the source generator can write them without reflection.

/// <summary>The whole document: one per audited target (an array of these for <c>--self</c> with several sites).</summary>
internal sealed record AuditJson(
    string Schema,
    AuditJsonTarget Target,
    DateTimeOffset StartedAt,
    AuditJsonTimings Timings,
    IReadOnlyList<AuditJsonProtocol>? Protocols,
    IReadOnlyDictionary<string, IReadOnlyList<AuditJsonSuite>>? Suites,
    AuditJsonTls? Tls,
    AuditJsonCertificate? Certificate,
    AuditJsonHttp Http,
    IReadOnlyList<AuditJsonHeader> Headers,
    IReadOnlyList<AuditJsonFinding> Findings,
    AuditJsonGrades Grades,
    string? FailUnder,
    bool? Passed);

internal sealed record AuditJsonTarget(string Host, int Port, string? Sni, string? Address, int HttpPort, string? CaFile);

internal sealed record AuditJsonTimings(long TotalMs, long? TlsMs, long HttpMs);

internal sealed record AuditJsonProtocol(string Version, bool? Accepted, string? Note);

internal sealed record AuditJsonSuite(string Code, string Name, string OpenSslName, string KeyExchange, string Encryption, int Bits, bool Aead, bool ForwardSecrecy);

internal sealed record AuditJsonTls(bool? ServerEnforcesOrder, IReadOnlyList<string> Groups, int? SmallestEphemeralBits,
    bool? SecureRenegotiation, bool? Compression, bool? FallbackScsv, bool? OcspStapled);

internal sealed record AuditJsonCertificate(IReadOnlyList<AuditJsonServedCertificate> Chain, bool InOrder, bool Complete, bool Trusted,
    string? TrustProblem, bool NameMatches, int DaysLeft);

internal sealed record AuditJsonServedCertificate(string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string KeyType,
    int KeyBits, string SignatureAlgorithm, IReadOnlyList<string> Names, string Sha256, bool SelfSigned);

internal sealed record AuditJsonHttp(string Url, int? Status, string? Error, bool? CertificateVerified, AuditJsonHsts? Hsts,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Csp, IReadOnlyList<AuditJsonCookie> Cookies, IReadOnlyList<AuditJsonBanner> Banners,
    IReadOnlyList<AuditJsonHop> Redirects, string? RedirectNote, IReadOnlyList<AuditJsonObservatoryTest> Observatory);

internal sealed record AuditJsonHsts(string Raw, long? MaxAge, bool IncludeSubDomains, bool Preload, string? Problem);

internal sealed record AuditJsonCookie(string Name, bool Secure, bool HttpOnly, string? SameSite);

internal sealed record AuditJsonBanner(string Header, string Product, string? Version, string? EndOfLifeSince);

internal sealed record AuditJsonHop(string Url, int? Status);

internal sealed record AuditJsonObservatoryTest(string Test, string Result, int Modifier);

internal sealed record AuditJsonHeader(string Name, string Value);

internal sealed record AuditJsonFinding(string Id, string Area, string Severity, string Title, string Why, string? Fix, string? PortcullisFix, string? NginxFix);

internal sealed record AuditJsonGrades(AuditJsonGrade? Tls, AuditJsonGrade? Http);

internal sealed record AuditJsonGrade(string Letter, int Score, IReadOnlyDictionary<string, int> Parts, IReadOnlyList<string> Reasons);
