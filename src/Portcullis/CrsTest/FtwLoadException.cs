using Portcullis.Configuration;

namespace Portcullis.CrsTest;

/// <summary>Test or override files that cannot be run as written; lists every problem with file:line.</summary>
internal sealed class FtwLoadException(IReadOnlyList<ConfigError> errors)
    : Exception($"{errors.Count} problem(s) in go-ftw files:\n" + string.Join('\n', errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
