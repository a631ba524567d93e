using System.Diagnostics.Metrics;
using Portcullis.Hosting;

namespace Portcullis.Observability;

/// <summary>
/// Certificate expiry as metrics (meter "Portcullis"): <c>portcullis.certificate.days_left</c> per site, for every
/// kind of certificate (ACME, files, self-signed), read from what each site serves right now. Visible with
/// <c>dotnet-counters monitor -n portcullis --counters Portcullis</c> or any OpenTelemetry collector.
/// </summary>
internal sealed class CertificateMetrics : IDisposable
{
    public const string MeterName = "Portcullis";

    private readonly Meter _meter;

    /// <summary>This gateway's meter (several gateways in one test process each have their own).</summary>
    public Meter Meter => _meter;

    public CertificateMetrics(GatewayState state, TimeProvider time)
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableGauge("portcullis.certificate.days_left", () => Observe(state, time), unit: "d",
            description: "Days until the certificate a site serves expires (negative when expired).");
    }

    private static IEnumerable<Measurement<double>> Observe(GatewayState state, TimeProvider time)
    {
        var now = time.GetUtcNow();
        foreach (var site in state.Current.Sites)
        {
            if (site.TlsOptions.ServerCertificateContext?.TargetCertificate is { } certificate)
            {
                var daysLeft = (certificate.NotAfter.ToUniversalTime() - now.UtcDateTime).TotalDays;
                yield return new Measurement<double>(Math.Round(daysLeft, 2), new KeyValuePair<string, object?>("site", site.Name));
            }
        }
    }

    public void Dispose() => _meter.Dispose();
}
