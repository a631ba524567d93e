namespace Portcullis.Acme;

/// <summary>What the manager knows about one ACME site, for logs, metrics and the operator.</summary>
internal sealed record AcmeSiteStatus
{
    public required string Site { get; init; }

    public required IReadOnlyList<string> Hosts { get; init; }

    /// <summary>When the certificate in service expires; null while the temporary self-signed one is served.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>When the next order is due (renewal, or retry after a failure).</summary>
    public DateTimeOffset? NextAttempt { get; init; }

    /// <summary>Consecutive failed orders; 0 after a success.</summary>
    public int Failures { get; init; }

    /// <summary>The last failure as the CA or the network described it.</summary>
    public string? LastError { get; init; }

    /// <summary>Certificates issued by this process for the site (0 when the stored one was reused).</summary>
    public int Issued { get; init; }
}
