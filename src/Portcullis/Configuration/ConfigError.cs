namespace Portcullis.Configuration;

/// <summary>One problem in a config file: where it is and what to do about it.</summary>
internal sealed record ConfigError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
