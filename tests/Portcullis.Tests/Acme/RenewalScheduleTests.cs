using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portcullis.Acme;

namespace Portcullis.Tests.Acme;

public sealed class RenewalScheduleTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RenewAt_NinetyDayCertificate_BetweenThirtyAndThirtyThreeDaysBeforeExpiry()
    {
        using var certificate = Certificate(Issued, Issued.AddDays(90));
        var schedule = new RenewalSchedule(new Random(7));

        var moments = Enumerable.Range(0, 500).Select(_ => schedule.RenewAt(certificate, window: null)).ToList();

        Assert.All(moments, m => Assert.InRange(m, Issued.AddDays(57), Issued.AddDays(60)));
        // Spread over the whole 3-day range, not bunched at one end.
        Assert.True(moments.Max() - moments.Min() > TimeSpan.FromDays(2.5));
    }

    [Fact]
    public void RenewAt_CaWindow_InsideIt()
    {
        using var certificate = Certificate(Issued, Issued.AddDays(90));
        var window = new RenewalWindowTimes(Issued.AddDays(40), Issued.AddDays(42));
        var schedule = new RenewalSchedule(new Random(7));

        Assert.All(Enumerable.Range(0, 200), _ => Assert.InRange(schedule.RenewAt(certificate, window), window.Start, window.End));
    }

    [Fact]
    public void Plan_SameCertificateAndWindow_DrawnOnceUntilEitherChanges()
    {
        using var certificate = Certificate(Issued, Issued.AddDays(90));
        using var renewed = Certificate(Issued.AddDays(60), Issued.AddDays(150));
        var plan = new RenewalPlan(new RenewalSchedule(new Random(11)));

        var first = plan.RenewAt(certificate, null);
        var again = Enumerable.Range(0, 50).Select(_ => plan.RenewAt(certificate, null)).Distinct().ToList();
        var withWindow = plan.RenewAt(certificate, new RenewalWindowTimes(Issued.AddDays(10), Issued.AddDays(20)));
        var forRenewed = plan.RenewAt(renewed, null);

        Assert.Equal([first], again);
        Assert.InRange(withWindow, Issued.AddDays(10), Issued.AddDays(20));
        Assert.InRange(forRenewed, Issued.AddDays(117), Issued.AddDays(120));
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    [InlineData(4, 480)]
    [InlineData(20, 21600)]   // capped at 6 hours
    public void RetryDelay_DoublesPerFailureUpToTheCap(int failures, double expectedSeconds)
    {
        var schedule = new RenewalSchedule(new Random(3));

        var delay = schedule.RetryDelay(failures);

        Assert.InRange(delay.TotalSeconds, expectedSeconds * 0.9, expectedSeconds * 1.1);
    }

    private static StoredCertificate Certificate(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=app.test", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new StoredCertificate([X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert))]);
    }
}
