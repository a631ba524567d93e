using Microsoft.Extensions.Logging;
using Portcullis.Observability;

namespace Portcullis.Hosting;

/// <summary>How the host is run (not what it serves: that is the config).</summary>
internal sealed record GatewayHostOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Run the pipeline on Kestrel's I/O threads (see Program.cs and docs/benchmarks.md); PORTCULLIS_INLINE=0 turns it off.</summary>
    public bool InlineScheduling { get; init; } = Environment.GetEnvironmentVariable("PORTCULLIS_INLINE") != "0";

    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>Extra request-stream observers (tests use one to see every RequestEvent).</summary>
    public IReadOnlyList<IRequestEventObserver> Observers { get; init; } = [];

    /// <summary>Extra log destinations besides the console (tests record what the gateway reported).</summary>
    public IReadOnlyList<ILoggerProvider> LoggerProviders { get; init; } = [];

    /// <summary>Retry and check timing of the ACME manager.</summary>
    public Acme.AcmeManagerOptions Acme { get; init; } = new();
}
