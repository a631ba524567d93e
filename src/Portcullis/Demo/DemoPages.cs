using System.Globalization;
using System.Text;

namespace Portcullis.Demo;

/// <summary>
/// The bodies of the demo's HTML pages. Every value that came from the request is passed through
/// <see cref="DemoHtml.Encode"/> here, and nowhere else builds HTML.
/// </summary>
internal static class DemoPages
{
    /// <summary>The request headers a proxied application cares about, shown on the home page.</summary>
    public static IReadOnlyList<string> ProxyHeaders { get; } =
        ["Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-Id"];

    public static string Home(HttpRequest request, string? remoteAddress)
    {
        var rows = new StringBuilder();
        foreach (var name in ProxyHeaders)
        {
            var value = request.Headers[name];
            var cell = value.Count == 0 ? "<em>(not sent)</em>" : DemoHtml.Encode(value.ToString());
            rows.Append(CultureInfo.InvariantCulture, $"<tr><th>{name}</th><td>{cell}</td></tr>\n");
        }

        return $"""
            <h1>Portcullis demo application</h1>
            <p>This is a small made-up web application started by <code>portcullis demo</code>. It listens on a
            loopback port over plain HTTP, and the Portcullis gateway sits in front of it: the gateway takes your
            HTTPS request, applies its protections and forwards it here.</p>
            <p>The application is deliberately naive. It answers with <code>Server</code> and
            <code>X-Powered-By: PortcullisDemo/1.0</code> headers that reveal what it runs on; open your browser's
            developer tools and you should see the gateway remove them. What it does send is its own
            <code>Content-Security-Policy</code>, because only the application knows what its pages load; the
            gateway adds the rest (HSTS, <code>nosniff</code>, <code>Referrer-Policy</code>).</p>
            <h2>What this application received</h2>
            <table>
            {rows}</table>
            <p class="note">The connection came from {DemoHtml.Encode(remoteAddress ?? "an unknown address")} using
            {DemoHtml.Encode(request.Protocol)}. Behind the gateway that is the gateway itself; the
            <code>X-Forwarded-*</code> headers are how the application learns about you.</p>
            <h2>Things to try</h2>
            <ul>
            <li><a href="/search?q=lamp">Search</a> echoes your query, safely encoded. Try
            <a href="/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E">searching for a script tag</a>: the gateway may
            block it before it arrives here.</li>
            <li><a href="/login">Login</a> posts a form; the user is <code>demo</code>, the password <code>demo</code>.</li>
            <li><a href="/api/items">API</a>: <code>GET /api/items</code>, <code>GET /api/items/1</code> and
            <code>POST /api/items</code> with <code>{DemoHtml.Encode("{\"name\": \"Teacup\", \"price\": 4.5}")}</code>.</li>
            <li><a href="/cookie">Cookie</a> sets an <code>HttpOnly; Secure; SameSite=Lax</code> session cookie.</li>
            <li><a href="/healthz">/healthz</a> is the health check the gateway polls.</li>
            <li><a href="/slow?ms=3000">/slow?ms=3000</a> answers after a delay (at most 120000 ms), to try the
            gateway's timeouts.</li>
            <li><a href="/download?mb=10">/download?mb=10</a> streams that many MiB (at most 1024) of pseudo-random
            bytes.</li>
            <li><code>POST /upload</code> streams the request body and answers with its size and SHA-256, e.g.
            <code>curl --data-binary @some.file https://localhost/upload</code> (use the gateway's address).</li>
            <li><code>/ws</code> is a WebSocket echo, e.g. <code>websocat wss://localhost/ws</code>.</li>
            </ul>
            """;
    }

    public static string Search(string? query, IReadOnlyList<DemoItem> results)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <h1>Search</h1>
            <form method="get" action="/search">
            <input type="search" name="q" value="{DemoHtml.Encode(query)}" placeholder="lamp, kettle, oak..." aria-label="Search products">
            <button type="submit">Search</button>
            </form>

            """);
        if (!string.IsNullOrEmpty(query))
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>You searched for <strong>{DemoHtml.Encode(query)}</strong>.</p>\n");
        }

        if (results.Count == 0)
        {
            body.Append("<p>No products match.</p>\n");
            return body.ToString();
        }

        body.Append("<ul>\n");
        foreach (var item in results)
        {
            body.Append(CultureInfo.InvariantCulture, $"<li>{DemoHtml.Encode(item.Name)}: {item.Price:0.00} EUR</li>\n");
        }

        body.Append("</ul>\n<p class=\"note\">The products are made up; nothing is for sale.</p>");
        return body.ToString();
    }

    public static string LoginForm(string? message) => $"""
        <h1>Login</h1>
        {(message is null ? string.Empty : $"<p class=\"error\">{DemoHtml.Encode(message)}</p>")}
        <form method="post" action="/login">
        <p><label>User name<br><input name="username" autocomplete="username" required></label></p>
        <p><label>Password<br><input name="password" type="password" autocomplete="current-password" required></label></p>
        <p><button type="submit">Log in</button></p>
        </form>
        <p class="note">Use <code>demo</code> / <code>demo</code>. This form only shows a form post going through the
        gateway; there are no real accounts.</p>
        """;

    public static string Welcome(string userName) => $"""
        <h1>Welcome, {DemoHtml.Encode(userName)}</h1>
        <p>The form post reached the application and the demo credentials matched. There is no session: this page is
        all there is.</p>
        """;

    public static string Cookie(string value, string? previous) => $"""
        <h1>Cookie set</h1>
        <p>This response sets <code>demo_session={DemoHtml.Encode(value)}; Path=/; HttpOnly; Secure; SameSite=Lax</code>.</p>
        <p><code>Secure</code> means the browser only sends it back over HTTPS, which works because the gateway
        serves HTTPS even though this application speaks plain HTTP. <code>HttpOnly</code> hides it from scripts.</p>
        <p>{(previous is null
            ? "Your browser sent no <code>demo_session</code> cookie with this request; reload to see it come back."
            : $"Your browser sent <code>demo_session={DemoHtml.Encode(previous)}</code> with this request.")}</p>
        """;

    public static string Slow(int milliseconds) => $"""
        <h1>Slow response</h1>
        <p>This answer was delayed by {milliseconds.ToString(CultureInfo.InvariantCulture)} ms. Try a delay longer than
        the gateway's upstream timeout to see what it answers instead.</p>
        """;

    public static string Message(string heading, string text) => $"""
        <h1>{DemoHtml.Encode(heading)}</h1>
        <p>{DemoHtml.Encode(text)}</p>
        <p><a href="/">Back to the home page</a></p>
        """;
}
