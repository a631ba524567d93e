namespace Portcullis.Acme.Protocol;

/// <summary>The directory object (RFC 8555 §7.1.1), plus renewalInfo from RFC 9773 §3.</summary>
internal sealed record AcmeDirectory
{
    public Uri? NewNonce { get; init; }

    public Uri? NewAccount { get; init; }

    public Uri? NewOrder { get; init; }

    public Uri? RevokeCert { get; init; }

    public Uri? KeyChange { get; init; }

    public Uri? RenewalInfo { get; init; }

    public AcmeDirectoryMeta? Meta { get; init; }
}
