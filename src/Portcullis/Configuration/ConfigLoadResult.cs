namespace Portcullis.Configuration;

/// <summary>Either a config or every error found in the file (never both).</summary>
internal sealed record ConfigLoadResult(GatewayConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool Succeeded => Config is not null && Errors.Count == 0;
}
