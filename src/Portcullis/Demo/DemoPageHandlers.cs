using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;

namespace Portcullis.Demo;

/// <summary>The demo's HTML pages, plus <c>/healthz</c>.</summary>
internal static class DemoPageHandlers
{
    public const string SessionCookieName = "demo_session";

    // The demo's only account. It is printed on the login page, so comparing it in constant time would protect nothing.
    private const string DemoUser = "demo";
    private const string DemoPassword = "demo";

    // A login form is two short fields; 16 KiB leaves room for any browser's encoding and rejects a flood early.
    private const long LoginBodyLimit = 16 * 1024;
    private static readonly FormOptions LoginFormOptions = new()
    {
        BufferBody = false,
        ValueCountLimit = 16,
        KeyLengthLimit = 64,
        ValueLengthLimit = 1024,
        MultipartBodyLengthLimit = LoginBodyLimit,
        MultipartHeadersCountLimit = 8,
        MultipartHeadersLengthLimit = 2048,
    };

    public static Task HomeAsync(HttpContext context) =>
        DemoHtml.WriteAsync(context, StatusCodes.Status200OK, "Home",
            DemoPages.Home(context.Request, context.Connection.RemoteIpAddress?.ToString()));

    public static Task SearchAsync(HttpContext context)
    {
        string? query = context.Request.Query["q"];
        return DemoHtml.WriteAsync(context, StatusCodes.Status200OK, "Search",
            DemoPages.Search(query, DemoCatalog.Search(query)));
    }

    public static Task LoginFormAsync(HttpContext context) =>
        DemoHtml.WriteAsync(context, StatusCodes.Status200OK, "Login", DemoPages.LoginForm(message: null));

    public static async Task LoginAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await DemoHtml.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported form",
                DemoPages.Message("Unsupported form", "Post the login form as application/x-www-form-urlencoded."));
            return;
        }

        DemoRequestBody.SetLimit(context, LoginBodyLimit);
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(LoginFormOptions, context.RequestAborted);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's body limit (413) or a malformed body.
            await DemoHtml.WriteAsync(context, ex.StatusCode, "Bad form",
                DemoPages.Message("Bad form", "The login form could not be read."));
            return;
        }
        catch (InvalidDataException)
        {
            // One of the FormOptions limits was exceeded.
            await DemoHtml.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad form",
                DemoPages.Message("Bad form", "The login form could not be read."));
            return;
        }

        string? userName = form["username"];
        string? password = form["password"];
        if (userName == DemoUser && password == DemoPassword)
        {
            await DemoHtml.WriteAsync(context, StatusCodes.Status200OK, "Welcome", DemoPages.Welcome(userName));
            return;
        }

        await DemoHtml.WriteAsync(context, StatusCodes.Status401Unauthorized, "Login failed",
            DemoPages.LoginForm("Wrong user name or password. Use demo / demo."));
    }

    public static Task CookieAsync(HttpContext context)
    {
        var value = RandomNumberGenerator.GetHexString(32, lowercase: true);

        // Written by hand so the attributes appear exactly as the page describes them.
        context.Response.Headers.Append("Set-Cookie", $"{SessionCookieName}={value}; Path=/; HttpOnly; Secure; SameSite=Lax");
        context.Response.Headers.CacheControl = "no-store";
        return DemoHtml.WriteAsync(context, StatusCodes.Status200OK, "Cookie",
            DemoPages.Cookie(value, context.Request.Cookies[SessionCookieName]));
    }

    public static Task HealthAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync("ok", context.RequestAborted);
    }

    public static Task NotFoundAsync(HttpContext context) =>
        DemoHtml.WriteAsync(context, StatusCodes.Status404NotFound, "Not found",
            DemoPages.Message("Not found", $"The demo application has no page at {context.Request.Path}."));
}
