namespace Portcullis.Acme.Protocol;

/// <summary>The directory's "meta" object (RFC 8555 §7.1.1).</summary>
internal sealed record AcmeDirectoryMeta
{
    public string? TermsOfService { get; init; }

    public string? Website { get; init; }

    public IReadOnlyList<string>? CaaIdentities { get; init; }

    public bool ExternalAccountRequired { get; init; }
}
