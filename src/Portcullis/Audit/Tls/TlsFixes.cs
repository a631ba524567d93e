namespace Portcullis.Audit.Tls;

/// <summary>
/// The config snippets findings offer as fixes. Portcullis snippets use only keys that exist (docs/configuration.md:
/// <c>tls.profile</c>, per-site <c>tls.cert</c>/<c>tls.key</c>, <c>tls: { acme: true }</c>); the nginx ones follow
/// Mozilla's intermediate profile (notes/tls.md §2).
/// </summary>
internal static class TlsFixes
{
    public const string NeverOffered = "Portcullis never offers this: its TLS policy is fixed to TLS 1.2 + 1.3 with ECDHE and AEAD suites only (Mozilla intermediate).";

    public const string PortcullisProfile = """
        tls:
          profile: intermediate   # TLS 1.2 + 1.3, ECDHE + AEAD only; or modern for TLS 1.3 only
        """;

    public const string NginxProtocols = """
        ssl_protocols TLSv1.2 TLSv1.3;
        """;

    public const string NginxCiphers = """
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
        ssl_prefer_server_ciphers off;
        """;

    public const string NginxGroups = """
        ssl_ecdh_curve X25519:prime256v1:secp384r1;
        """;

    public const string PortcullisCertificate = """
        sites:
          - name: app
            hosts: [app.example.com]
            tls: { cert: /etc/portcullis/fullchain.pem, key: /etc/portcullis/privkey.pem }   # leaf first, then intermediates
            # or: tls: { acme: true }   (a publicly trusted certificate, renewed automatically)
        """;

    public const string PortcullisAcme = """
        sites:
          - name: app
            hosts: [app.example.com]
            tls: { acme: true }   # publicly trusted, renewed at a third of its lifetime left
        """;

    public const string NginxCertificate = """
        ssl_certificate     /etc/nginx/fullchain.pem;   # leaf first, then intermediates
        ssl_certificate_key /etc/nginx/privkey.pem;
        """;

    public const string NginxStapling = """
        ssl_stapling on;
        ssl_stapling_verify on;
        ssl_trusted_certificate /etc/nginx/chain.pem;
        resolver 127.0.0.53;
        """;
}
