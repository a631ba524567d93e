using System.Text;

namespace Portcullis.Acme.Protocol;

/// <summary>
/// A problem document (RFC 7807, RFC 8555 §6.7): the CA's own words about what went wrong, kept whole so operators
/// see e.g. "urn:ietf:params:acme:error:rejectedIdentifier" and the CA's detail, and, for multi-identifier requests,
/// one subproblem per identifier (§6.7.1).
/// </summary>
internal sealed record AcmeProblem
{
    public const string ErrorPrefix = "urn:ietf:params:acme:error:";
    public const string BadNonce = ErrorPrefix + "badNonce";
    public const string RateLimited = ErrorPrefix + "rateLimited";
    public const string ExternalAccountRequired = ErrorPrefix + "externalAccountRequired";
    public const string AccountDoesNotExist = ErrorPrefix + "accountDoesNotExist";

    public string? Type { get; init; }

    public string? Detail { get; init; }

    public int? Status { get; init; }

    public string? Instance { get; init; }

    /// <summary>Set on subproblems: the identifier this one is about.</summary>
    public AcmeIdentifier? Identifier { get; init; }

    public IReadOnlyList<AcmeProblem>? Subproblems { get; init; }

    /// <summary>"type: detail", then each subproblem as "identifier: type: detail".</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Type ?? "about:blank");
        if (!string.IsNullOrEmpty(Detail))
        {
            text.Append(": ").Append(Detail);
        }
        // Bounded: a hostile CA could send thousands of subproblems; ten say enough in a log line.
        foreach (var sub in (Subproblems ?? []).Take(10))
        {
            text.Append("; ");
            if (sub.Identifier is not null)
            {
                text.Append(sub.Identifier.Value).Append(": ");
            }
            text.Append(sub.Type ?? "about:blank");
            if (!string.IsNullOrEmpty(sub.Detail))
            {
                text.Append(": ").Append(sub.Detail);
            }
        }
        return text.ToString();
    }
}
