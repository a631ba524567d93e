using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portcullis.Configuration;
using Portcullis.Hosting;

namespace Portcullis.Cli;

/// <summary><c>portcullis run --config FILE</c>: serve until stopped, reloading the config on change or SIGHUP.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = ConfigOption.Create();
        var command = new Command("run", "Run the gateway from a config file; reloads it on change and on SIGHUP.") { config };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config)!, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string path, CancellationToken cancellationToken)
    {
        var result = ConfigLoader.Load(path);
        if (!result.Succeeded)
        {
            ConfigErrorPrinter.Print(result, Console.Error, $"not started. 'portcullis validate --config {path}' checks a file without starting.");
            return ExitCodes.UsageOrConfigError;
        }
        return await ServeAsync(result.Config!, watchPath: path, new GatewayHostOptions(), cancellationToken);
    }

    /// <summary>Starts the gateway, waits for Ctrl-C / SIGTERM, then stops gracefully. Shared with <c>demo</c>.</summary>
    public static async Task<int> ServeAsync(GatewayConfig config, string? watchPath, GatewayHostOptions options, CancellationToken cancellationToken, Action<GatewayHost>? started = null)
    {
        GatewayHost host;
        try
        {
            host = await GatewayHost.StartAsync(config, options, cancellationToken);
        }
        catch (GatewayStartException ex)
        {
            foreach (var error in ex.Errors)
            {
                await Console.Error.WriteLineAsync(error);
            }
            return ExitCodes.RuntimeFailure;
        }
        // Kestrel wraps a bind failure: IOException("Failed to bind to address ...: address already in use.", AddressInUseException).
        catch (IOException ex) when (ex.InnerException is SocketException or AddressInUseException)
        {
            await Console.Error.WriteLineAsync($"cannot listen: {ex.Message.TrimEnd('.')}. Is another server on that port? Ports below 1024 need CAP_NET_BIND_SERVICE (see README, 'Running on port 443').");
            return ExitCodes.RuntimeFailure;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or SocketException)
        {
            await Console.Error.WriteLineAsync($"cannot start: {ex.Message}. Ports below 1024 need CAP_NET_BIND_SERVICE, and data_dir must be writable (see README).");
            return ExitCodes.RuntimeFailure;
        }
        await using (host)
        {
            using var reloader = watchPath is null ? null : new ConfigReloader(host, watchPath, host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portcullis.Reload"));
            started?.Invoke(host);
            // The host's console lifetime takes SIGINT/SIGTERM (it cancels the default termination and signals
            // ApplicationStopping), so the CLI's token alone never fires for them: wait for either, then stop
            // gracefully (requests in flight get Kestrel's shutdown timeout).
            await host.WaitForShutdownAsync(cancellationToken);
        }
        return ExitCodes.Ok;
    }
}
