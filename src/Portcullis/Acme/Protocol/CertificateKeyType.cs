namespace Portcullis.Acme.Protocol;

/// <summary>The key a certificate is issued for: ECDSA P-256 by default (small, fast, Mozilla's recommendation), RSA 2048 for old clients.</summary>
internal enum CertificateKeyType
{
    EcdsaP256,
    Rsa2048,
}
