namespace Portcullis.Hosting;

/// <summary>The config was valid but could not be put into service (a certificate that fails to load, an unwritable data_dir).</summary>
internal sealed class GatewayStartException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
