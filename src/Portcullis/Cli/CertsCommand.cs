using System.CommandLine;
using System.Globalization;
using Portcullis.Configuration;
using Portcullis.Tls;

namespace Portcullis.Cli;

/// <summary>
/// <c>portcullis certs [--config FILE] [--fail-within-days N]</c>: each site's certificate as it is on disk (source,
/// names, expiry, days left). With <c>--fail-within-days</c> it exits 1 when a certificate is missing, unreadable or
/// expires within N days: a monitoring check (cron, Nagios, CI) without a metrics stack.
/// </summary>
internal static class CertsCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var failWithin = new Option<int?>("--fail-within-days") { Description = "Exit 1 when a certificate is missing or expires within this many days.", HelpName = "N" };
        var command = new Command("certs", "Show each site's certificate: where it comes from, the names, expiry and days left.") { config, failWithin };
        command.SetAction(parse => Run(parse.GetValue(config)!, parse.GetValue(failWithin), TimeProvider.System.GetUtcNow(), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string path, int? failWithinDays, DateTimeOffset now, TextWriter output, TextWriter errors)
    {
        var result = ConfigLoader.Load(path);
        if (!result.Succeeded)
        {
            ConfigErrorPrinter.Print(result, errors, "the config was not accepted.");
            return ExitCodes.UsageOrConfigError;
        }
        var failing = 0;
        foreach (var info in SiteCertificateInfo.Read(result.Config!))
        {
            var days = info.DaysLeft(now);
            var expiry = info.NotAfter is { } end
                ? string.Create(CultureInfo.InvariantCulture, $"expires {end:yyyy-MM-dd HH:mm}Z ({Math.Floor(days!.Value):0} days left)")
                : "no certificate";
            output.WriteLine($"{info.Site}: {info.Source}, {expiry}; {(info.Names.Count > 0 ? string.Join(", ", info.Names) : "-")}; {info.Path}");
            if (info.Problem is not null)
            {
                output.WriteLine($"  ! {info.Problem}");
            }
            if (failWithinDays is { } limit && (days is null || days < limit || info.Problem is not null))
            {
                failing++;
            }
        }
        if (failWithinDays is { } threshold && failing > 0)
        {
            errors.WriteLine($"{failing} site(s) have no usable certificate or one that expires within {threshold} days.");
            return ExitCodes.RuntimeFailure;
        }
        return ExitCodes.Ok;
    }
}
