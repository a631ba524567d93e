using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portcullis.Tests.TestSupport;

/// <summary>Keeps every log entry of a gateway (GatewayHostOptions.LoggerProviders) so a test can assert what it reported.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, int EventId, LogLevel Level, string Message)> _entries = new();

    public IReadOnlyList<(string Category, int EventId, LogLevel Level, string Message)> Entries => [.. _entries];

    public IEnumerable<string> Messages(int eventId) => _entries.Where(e => e.EventId == eventId).Select(e => e.Message);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(string, int, LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((category, eventId.Id, logLevel, formatter(state, exception)));
    }
}
