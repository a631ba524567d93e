using System.Security.Cryptography.X509Certificates;

namespace Portcullis.Acme.Protocol;

/// <summary>What an issuance produces: the chain as the CA sent it (PEM, leaf first), the new key (PKCS#8 PEM), and the parsed leaf.</summary>
internal sealed record IssuedCertificate(string ChainPem, string KeyPem, X509Certificate2 Leaf);
