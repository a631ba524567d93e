namespace Portcullis.Crs;

/// <summary>The command line of <c>portcullis crs fetch</c>, as given (null when an option is absent).</summary>
internal sealed record CrsFetchArguments(string Version, string? From, string? Sha256, string? Config, string? DataDir);
