using System.CommandLine;
using Portcullis.Configuration;
using Portcullis.Crs;

namespace Portcullis.Cli;

/// <summary>
/// <c>portcullis crs fetch [--version V] [--from URL] [--sha256 HEX] [--config FILE | --data-dir DIR]</c>: downloads a
/// CRS release, verifies its SHA-256 and installs it as data_dir/crs, so the gateway needs no download at run time.
/// Exit 0 when installed, 1 when the download, check or install failed (nothing changed), 2 for bad arguments.
/// </summary>
internal static class CrsCommand
{
    public static Command Create()
    {
        var version = new Option<string>("--version") { Description = "The CRS release.", DefaultValueFactory = _ => CrsRelease.DefaultVersion, HelpName = "VERSION" };
        var from = new Option<string?>("--from") { Description = "Download from this http(s) or file URL instead of GitHub (a .tar.gz or .zip with one top folder).", HelpName = "URL" };
        var sha256 = new Option<string?>("--sha256") { Description = "The archive's expected SHA-256 (64 hex digits). Required unless the version is one Portcullis knows.", HelpName = "HEX" };
        var config = ConfigOption.Create();
        var dataDir = new Option<string?>("--data-dir") { Description = "Install into DIR/crs instead of the config's data_dir.", HelpName = "DIR" };
        var fetch = new Command("fetch", "Download a CRS release, verify its SHA-256 and install it into data_dir/crs.") { version, from, sha256, config, dataDir };
        fetch.SetAction((parse, ct) =>
        {
            var configGiven = parse.GetResult(config) is { Implicit: false };
            return RunAsync(
                new CrsFetchArguments(parse.GetValue(version)!, parse.GetValue(from), parse.GetValue(sha256), configGiven ? parse.GetValue(config) : null, parse.GetValue(dataDir)),
                Console.Out,
                Console.Error,
                ct);
        });
        return new Command("crs", "Manage the OWASP Core Rule Set that the WAF runs.") { fetch };
    }

    public static async Task<int> RunAsync(CrsFetchArguments arguments, TextWriter output, TextWriter errors, CancellationToken cancellationToken, CrsArchiveLimits? limits = null)
    {
        const string Prefix = "portcullis crs fetch: ";
        if (!CrsRelease.IsValidVersion(arguments.Version))
        {
            await errors.WriteLineAsync($"{Prefix}'{arguments.Version}' is not a CRS version such as {CrsRelease.DefaultVersion}.");
            return ExitCodes.UsageOrConfigError;
        }
        Uri source;
        if (arguments.From is null)
        {
            source = CrsRelease.DefaultSource(arguments.Version);
        }
        else if (!Uri.TryCreate(arguments.From, UriKind.Absolute, out source!) || source.Scheme is not ("http" or "https" or "file"))
        {
            await errors.WriteLineAsync($"{Prefix}--from '{arguments.From}' is not an http, https or file URL.");
            return ExitCodes.UsageOrConfigError;
        }
        string digest;
        if (arguments.Sha256 is not null)
        {
            if (!Sha256Hex.TryParse(arguments.Sha256, out digest))
            {
                await errors.WriteLineAsync($"{Prefix}--sha256 takes 64 hex digits (sha256sum's output), not '{arguments.Sha256}'.");
                return ExitCodes.UsageOrConfigError;
            }
        }
        else if (KnownReleases.Sha256(arguments.Version) is { } known)
        {
            digest = known;
        }
        else
        {
            await errors.WriteLineAsync($"{Prefix}Portcullis has no verified SHA-256 for CRS {arguments.Version}; give the archive's digest with --sha256 HEX (from a trusted copy: sha256sum FILE). An archive is never installed unverified.");
            return ExitCodes.UsageOrConfigError;
        }
        if (arguments.DataDir is not null && arguments.Config is not null)
        {
            await errors.WriteLineAsync($"{Prefix}give --data-dir or --config, not both.");
            return ExitCodes.UsageOrConfigError;
        }
        var dataDir = arguments.DataDir;
        if (dataDir is null)
        {
            var loaded = ConfigLoader.Load(arguments.Config ?? ConfigOption.DefaultPath);
            if (!loaded.Succeeded)
            {
                ConfigErrorPrinter.Print(loaded, errors, "no data_dir to install into (or give --data-dir DIR).");
                return ExitCodes.UsageOrConfigError;
            }
            dataDir = loaded.Config!.DataDir;
        }
        var request = new CrsFetchRequest { Version = arguments.Version, Source = source, Sha256 = digest, DataDir = dataDir, Limits = limits ?? CrsArchiveLimits.Default };
        await output.WriteLineAsync($"Fetching CRS {arguments.Version} from {source} ...");
        CrsFetchResult result;
        try
        {
            result = await CrsFetcher.FetchAsync(request, cancellationToken);
        }
        catch (CrsFetchException e)
        {
            await errors.WriteLineAsync(Prefix + e.Message);
            return ExitCodes.RuntimeFailure;
        }
        await output.WriteLineAsync($"Installed CRS {arguments.Version} ({result.ArchiveTopFolder}/, {result.RuleFileCount} rule files, {result.UnpackedBytes} bytes, SHA-256 {digest}) into {result.CrsDirectory}.");
        if (result.PreviousDirectory is not null)
        {
            await output.WriteLineAsync($"The version it replaced is kept in {result.PreviousDirectory}.");
        }
        await output.WriteLineAsync(result.SetupCreatedFromExample
            ? $"Created {Path.Combine(result.CrsDirectory, CrsLayout.Setup)} from the example; edit it to tune CRS (paranoia level, anomaly thresholds)."
            : $"Kept your {Path.Combine(result.CrsDirectory, CrsLayout.Setup)}; compare it with the new {CrsLayout.SetupExample} for new settings.");
        await output.WriteLineAsync($"Next: point the WAF at it in your config, 'waf: {{ crs: {result.CrsDirectory} }}', then 'portcullis validate'.");
        return ExitCodes.Ok;
    }
}
