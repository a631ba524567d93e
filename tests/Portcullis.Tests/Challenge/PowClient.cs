using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Challenge;

/// <summary>
/// A test client that behaves like a browser towards the challenge, but in C#: it connects to the gateway from a
/// chosen loopback address (127.0.0.2 is another client), asks for pages with Accept: text/html, reads the
/// challenge page's form, solves the proof-of-work with SHA-256 exactly as the page's script does, and posts it.
/// Cookies are handled by hand so tests can forge, tamper with and move them.
/// </summary>
internal sealed partial class PowClient : IDisposable
{
    private readonly HttpClient _http;

    public PowClient(TestGateway gateway, string localAddress = "127.0.0.1")
    {
        var local = IPAddress.Parse(localAddress);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, gateway.HttpsPort), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A page load: GET with a browser's Accept header, and the pass cookie when given.</summary>
    public Task<HttpResponseMessage> GetPageAsync(string url, string? pass = null, string accept = "text/html,application/xhtml+xml,*/*;q=0.8") =>
        SendAsync(HttpMethod.Get, url, pass, accept);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string? pass, string accept, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (pass is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"theme=dark; {CookieName}={pass}");
        }
        return await _http.SendAsync(request);
    }

    public const string CookieName = "__Host-portcullis_pass";

    /// <summary>Loads <paramref name="url"/>, expects the challenge page, and returns its form.</summary>
    public async Task<ChallengeForm> GetChallengeAsync(string url)
    {
        using var response = await GetPageAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        return ChallengeForm.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts an answer to the challenge endpoint of <paramref name="origin"/> (https://host/).</summary>
    public Task<HttpResponseMessage> SubmitAsync(string origin, ChallengeForm form, string nonce) =>
        SendAsync(HttpMethod.Post, origin.TrimEnd('/') + "/.well-known/portcullis/challenge", null, "text/html",
            new FormUrlEncodedContent([new("token", form.Token), new("nonce", nonce), new("to", form.ReturnPath)]));

    /// <summary>The whole flow for <paramref name="url"/>: page, solve, post. Returns the pass cookie's value and where the 303 pointed.</summary>
    public async Task<(string Pass, string Location)> ObtainPassAsync(string url)
    {
        var form = await GetChallengeAsync(url);
        using var response = await SubmitAsync(new Uri(url).GetLeftPart(UriPartial.Authority), form, Solve(form.Token, form.Difficulty));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        return (PassFrom(response), response.Headers.Location!.OriginalString);
    }

    /// <summary>The pass cookie's value from a Set-Cookie header, checking the attributes the brief requires.</summary>
    public static string PassFrom(HttpResponseMessage response)
    {
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(CookieName + "=", setCookie, StringComparison.Ordinal);
        foreach (var attribute in new[] { "; Path=/", "; Secure", "; HttpOnly", "; SameSite=Lax" })
        {
            Assert.Contains(attribute, setCookie, StringComparison.Ordinal);
        }
        return setCookie[(CookieName.Length + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>The hashcash search: the first decimal nonce whose SHA-256(token ":" nonce) has <paramref name="bits"/> leading zero bits.</summary>
    public static string Solve(string token, int bits)
    {
        for (long nonce = 0; ; nonce++)
        {
            var text = nonce.ToString(CultureInfo.InvariantCulture);
            if (LeadingZeroBits(SHA256.HashData(Encoding.ASCII.GetBytes(token + ":" + text))) >= bits)
            {
                return text;
            }
        }
    }

    /// <summary>A nonce that does not solve it (the hash has fewer than <paramref name="bits"/> zero bits).</summary>
    public static string NonSolution(string token, int bits)
    {
        for (long nonce = 0; ; nonce++)
        {
            var text = nonce.ToString(CultureInfo.InvariantCulture);
            if (LeadingZeroBits(SHA256.HashData(Encoding.ASCII.GetBytes(token + ":" + text))) < bits)
            {
                return text;
            }
        }
    }

    private static int LeadingZeroBits(byte[] hash)
    {
        var bits = 0;
        foreach (var b in hash)
        {
            for (var mask = 0x80; mask > 0; mask >>= 1)
            {
                if ((b & mask) != 0)
                {
                    return bits;
                }
                bits++;
            }
        }
        return bits;
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>What the challenge page hands the browser: the token, the difficulty and the path to return to.</summary>
internal sealed partial record ChallengeForm(string Token, int Difficulty, string ReturnPath)
{
    public static ChallengeForm Parse(string html)
    {
        var bits = Bits().Match(html);
        var token = TokenInput().Match(html);
        var to = ReturnInput().Match(html);
        Assert.True(bits.Success && token.Success && to.Success, $"not a challenge page:\n{html}");
        return new ChallengeForm(WebUtility.HtmlDecode(token.Groups[1].Value), int.Parse(bits.Groups[1].Value, CultureInfo.InvariantCulture),
            WebUtility.HtmlDecode(to.Groups[1].Value));
    }

    [GeneratedRegex("name=\"token\" value=\"([^\"]*)\"")]
    private static partial Regex TokenInput();

    [GeneratedRegex("name=\"to\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnInput();

    [GeneratedRegex("data-bits=\"(\\d+)\"")]
    private static partial Regex Bits();
}
