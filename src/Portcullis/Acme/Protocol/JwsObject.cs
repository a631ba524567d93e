namespace Portcullis.Acme.Protocol;

/// <summary>A JWS in the flattened JSON serialization (RFC 7515 §7.2.2), the only form ACME accepts (RFC 8555 §6.2).</summary>
internal sealed record JwsObject(string Protected, string Payload, string Signature);
