using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Portcullis.Hardening;

namespace Portcullis.Challenge;

/// <summary>
/// The page a challenged browser gets: it finds the proof-of-work nonce with WebCrypto (crypto.subtle.digest, so
/// it needs a secure context, which HTTPS is) and posts it with the token to <see cref="ChallengeEndpoint.Path"/>.
/// The script and style are constants, so the page's CSP allows exactly them by hash and nothing else may run:
/// the per-request values (token, difficulty, return path) travel in the form's attributes, HTML-encoded.
/// </summary>
internal static class ChallengePage
{
    /// <summary>
    /// Digests are requested in batches: each crypto.subtle.digest call is a promise, and awaiting them one by one
    /// leaves the browser's crypto thread idle between calls (16 in flight measured fastest in headless Chromium).
    /// </summary>
    private const string Script =
        "(async()=>{const f=document.getElementById('pc'),s=document.getElementById('st');" +
        "if(!(window.crypto&&crypto.subtle)){s.textContent='This browser cannot run the check (it needs a current browser over HTTPS).';return;}" +
        "const t=f.elements.token.value,bits=Number(f.dataset.bits),enc=new TextEncoder();" +
        "const ok=d=>{const b=new Uint8Array(d);let n=bits,i=0;for(;n>=8;n-=8,i++)if(b[i]!==0)return false;return n===0||(b[i]>>(8-n))===0;};" +
        "for(let base=0;;base+=16){" +
        "const ds=await Promise.all(Array.from({length:16},(_,k)=>crypto.subtle.digest('SHA-256',enc.encode(t+':'+(base+k)))));" +
        "const hit=ds.findIndex(ok);" +
        "if(hit>=0){f.elements.nonce.value=String(base+hit);s.textContent='Done, loading the page\u2026';f.submit();return;}}})();";

    private const string ExtraStyle = "noscript p,#st{color:#445}";

    private static readonly string Style = GatewayPages.Style + ExtraStyle;

    /// <summary>
    /// Nothing loads, nothing but the two hashed blocks runs, the form may only post to this origin, and the page
    /// cannot be framed (so no clickjacking of the check).
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; script-src '{Hash(Script)}'; style-src '{Hash(Style)}'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static byte[] Render(string token, int difficulty, string returnPath, string requestId) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
        $"<meta name=\"robots\" content=\"noindex\"><title>Checking your browser</title><style>{Style}</style></head><body><main>" +
        $"<h1>Checking your browser</h1><p>This site asks browsers to do a moment of work before it lets them in, which keeps automated floods out. " +
        $"It takes a second or two, and your browser is remembered for a while afterwards.</p><p id=\"st\">Working\u2026</p>" +
        $"<noscript><p>Please turn on JavaScript for this site, then reload the page.</p></noscript>" +
        $"<form id=\"pc\" method=\"post\" action=\"{ChallengeEndpoint.Path}\" data-bits=\"{difficulty}\">" +
        $"<input type=\"hidden\" name=\"token\" value=\"{WebUtility.HtmlEncode(token)}\"><input type=\"hidden\" name=\"nonce\" value=\"\">" +
        $"<input type=\"hidden\" name=\"to\" value=\"{WebUtility.HtmlEncode(returnPath)}\"></form>" +
        $"<footer>Request ID <code>{WebUtility.HtmlEncode(requestId)}</code> · Portcullis</footer></main><script>{Script}</script></body></html>\n"));

    private static string Hash(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
