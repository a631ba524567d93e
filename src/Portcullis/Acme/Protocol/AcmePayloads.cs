namespace Portcullis.Acme.Protocol;

/// <summary>newAccount request body (RFC 8555 §7.3).</summary>
internal sealed record NewAccountPayload
{
    public bool TermsOfServiceAgreed { get; init; }

    public IReadOnlyList<string>? Contact { get; init; }

    public JwsObject? ExternalAccountBinding { get; init; }
}

/// <summary>newOrder request body (RFC 8555 §7.4), with "replaces" from RFC 9773 §5.</summary>
internal sealed record NewOrderPayload
{
    public IReadOnlyList<AcmeIdentifier> Identifiers { get; init; } = [];

    public string? Replaces { get; init; }
}

/// <summary>finalize request body (RFC 8555 §7.4): the CSR, DER, base64url.</summary>
internal sealed record FinalizePayload(string Csr);

/// <summary>The empty object a client POSTs to a challenge URL to say "ready, validate now" (RFC 8555 §7.5.1).</summary>
internal sealed record EmptyPayload;
