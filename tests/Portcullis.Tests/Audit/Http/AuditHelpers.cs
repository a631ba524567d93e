using System.Net;
using Portcullis.Audit;
using Portcullis.Audit.Grading;
using Portcullis.Audit.Http;
using Portcullis.Tests.Audit.Targets;

namespace Portcullis.Tests.Audit.Http;

/// <summary>Runs the HTTP half against a loopback target the way <c>portcullis audit audit.test:PORT --ip 127.0.0.1</c> does.</summary>
internal static class AuditHelpers
{
    public static Task<HttpAuditResult> AuditAsync(int httpsPort, int httpPort, string? caFile, string host = AuditPki.HostName) =>
        HttpAuditor.RunAsync(new AuditTarget(host, httpsPort, Address: IPAddress.Loopback, CaFile: caFile, HttpPort: httpPort), null, CancellationToken.None);

    /// <summary>The result the audit gave for one Observatory test.</summary>
    public static ObservatoryOutcome Outcome(this HttpAuditResult result, string test) =>
        Assert.Single(result.Outcomes, o => ObservatoryScoreTable.Scores[o].Test == test);

    public static string Describe(this HttpAuditResult result) =>
        string.Join("\n", result.Outcomes.Select(o => $"{o} {ObservatoryScoreTable.Scores[o].Modifier}"))
        + "\nfindings: " + string.Join(", ", result.Findings.Select(f => f.Id))
        + $"\ngrade: {result.Grade?.Letter} {result.Grade?.Score}; page error: {result.PageError}; note: {result.HttpNote}";
}
