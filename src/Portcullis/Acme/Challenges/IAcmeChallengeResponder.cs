namespace Portcullis.Acme.Challenges;

/// <summary>
/// Makes a challenge response visible to the CA's validator and takes it away again. The issuer publishes before
/// it tells the CA to validate and withdraws when validation is over, successful or not.
/// </summary>
internal interface IAcmeChallengeResponder
{
    /// <summary>"http-01" (RFC 8555 §8.3) or "tls-alpn-01" (RFC 8737).</summary>
    string ChallengeType { get; }

    void Publish(string host, string token, string keyAuthorization);

    void Withdraw(string host, string token);
}
