using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Portcullis.Acme.Protocol;

/// <summary>How an <see cref="AcmeClient"/> reaches its CA.</summary>
internal sealed record AcmeClientOptions
{
    /// <summary>The CA's directory URL (RFC 8555 §7.1.1), e.g. https://acme-v02.api.letsencrypt.org/directory.</summary>
    public required Uri Directory { get; init; }

    /// <summary>PEM file of roots trusted for the CA's HTTPS endpoint in addition to the system store (test CAs such as pebble).</summary>
    public string? CaBundlePath { get; init; }

    /// <summary>Bound on one HTTP exchange with the CA (connect, send, read); 30 s is far above a healthy CA's latency.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to poll an authorization or order before giving up; Let's Encrypt validates in seconds.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
