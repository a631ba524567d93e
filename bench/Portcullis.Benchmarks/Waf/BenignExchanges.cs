using System.Globalization;
using System.Text;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// Benign traffic of the kind a shop front sees: a browser navigation with a query, a urlencoded form post and a
/// fetch() JSON post. Headers are what Chrome 142 on Windows sends; all of it must pass CRS at PL1 untouched.
/// </summary>
internal static class BenignExchanges
{
    private const string UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
    private const string ClientHints = "\"Chromium\";v=\"142\", \"Google Chrome\";v=\"142\", \"Not_A Brand\";v=\"99\"";
    private const string Cookies = "session_id=3f9a1c7e5b2d4f608a1e9c3b7d5f2a40; cart_items=2; theme=dark";

    /// <summary>A top-level navigation to a search page with four query arguments.</summary>
    public static WafExchange SearchPage() => new()
    {
        Method = "GET",
        Target = "/search?q=blue+running+shoes&category=footwear&page=2&sort=price_asc",
        RequestHeaders =
        [
            ("Host", "shop.example.com"),
            ("Connection", "keep-alive"),
            ("sec-ch-ua", ClientHints),
            ("sec-ch-ua-mobile", "?0"),
            ("sec-ch-ua-platform", "\"Windows\""),
            ("Upgrade-Insecure-Requests", "1"),
            ("User-Agent", UserAgent),
            ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"),
            ("Sec-Fetch-Site", "same-origin"),
            ("Sec-Fetch-Mode", "navigate"),
            ("Sec-Fetch-User", "?1"),
            ("Sec-Fetch-Dest", "document"),
            ("Referer", "https://shop.example.com/catalog/shoes?color=blue"),
            ("Accept-Encoding", "gzip, deflate, br, zstd"),
            ("Accept-Language", "en-US,en;q=0.9,de;q=0.8"),
            ("Cookie", Cookies),
        ],
        ResponseHeaders = HtmlResponseHeaders(18_234),
    };

    /// <summary>
    /// What <c>bench/gateway.sh</c>'s wrk sends through the gateway (its query, only a Host header) and what the
    /// origin there answers (nginx's <c>return 200</c>: a 3-byte text/plain body, inspected in phase 4), so the
    /// engine's share of an end-to-end request can be told from the rest of the gateway's.
    /// </summary>
    public static WafExchange WrkGet() => new()
    {
        Method = "GET",
        Target = "/search?q=blue+running+shoes&page=2&sort=price&id=12345",
        RequestHeaders = [("Host", "127.0.0.1:9444")],
        ResponseHeaders =
        [
            ("Server", "nginx/1.22.1"),
            ("Date", "Sat, 28 Nov 2026 09:00:00 GMT"),
            ("Content-Type", "text/plain"),
            ("Content-Length", "3"),
            ("Connection", "keep-alive"),
        ],
        ResponseBody = "ok\n"u8.ToArray(),
    };

    /// <summary>The search page again, with its HTML response inspected in phase 4 (the gateway buffers text/html).</summary>
    public static WafExchange SearchPageWithHtmlBody()
    {
        var html = Encoding.ASCII.GetBytes(SearchResultsHtml());
        var page = SearchPage();
        return new WafExchange
        {
            Method = page.Method,
            Target = page.Target,
            RequestHeaders = page.RequestHeaders,
            ResponseHeaders = HtmlResponseHeaders(html.Length),
            ResponseBody = html,
        };
    }

    /// <summary>A profile form with ten fields, answered with a redirect.</summary>
    public static WafExchange ProfileForm()
    {
        var body = Encoding.ASCII.GetBytes(
            "first_name=Jane&last_name=Doe&email=jane.doe%40example.com&phone=%2B1+555+0142" +
            "&street=742+Evergreen+Terrace&city=Springfield&postal_code=97403&country=US&newsletter=on" +
            "&csrf_token=b7f3c9e2a1d84f6e9c0b5a7d3e1f2c48");
        return new WafExchange
        {
            Method = "POST",
            Target = "/account/profile",
            RequestHeaders =
            [
                ("Host", "shop.example.com"),
                ("Connection", "keep-alive"),
                ("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)),
                ("Cache-Control", "max-age=0"),
                ("sec-ch-ua", ClientHints),
                ("sec-ch-ua-mobile", "?0"),
                ("sec-ch-ua-platform", "\"Windows\""),
                ("Origin", "https://shop.example.com"),
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Upgrade-Insecure-Requests", "1"),
                ("User-Agent", UserAgent),
                ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"),
                ("Sec-Fetch-Site", "same-origin"),
                ("Sec-Fetch-Mode", "navigate"),
                ("Sec-Fetch-User", "?1"),
                ("Sec-Fetch-Dest", "document"),
                ("Referer", "https://shop.example.com/account/profile"),
                ("Accept-Encoding", "gzip, deflate, br, zstd"),
                ("Accept-Language", "en-US,en;q=0.9,de;q=0.8"),
                ("Cookie", Cookies),
            ],
            RequestBody = body,
            ResponseStatus = 303,
            ResponseHeaders =
            [
                ("Date", "Thu, 26 Nov 2026 22:00:00 GMT"),
                ("Content-Length", "0"),
                ("Location", "/account/profile?saved=1"),
                ("Cache-Control", "no-store"),
            ],
        };
    }

    /// <summary>A checkout call from the page's script: a 2 KB JSON order, answered with 201 and a small JSON body.</summary>
    public static WafExchange CheckoutJson()
    {
        var body = Encoding.ASCII.GetBytes(OrderJson());
        return new WafExchange
        {
            Method = "POST",
            Target = "/api/v2/orders",
            RequestHeaders =
            [
                ("Host", "shop.example.com"),
                ("Connection", "keep-alive"),
                ("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture)),
                ("sec-ch-ua-platform", "\"Windows\""),
                ("User-Agent", UserAgent),
                ("Accept", "application/json"),
                ("sec-ch-ua", ClientHints),
                ("Content-Type", "application/json"),
                ("sec-ch-ua-mobile", "?0"),
                ("Origin", "https://shop.example.com"),
                ("Sec-Fetch-Site", "same-origin"),
                ("Sec-Fetch-Mode", "cors"),
                ("Sec-Fetch-Dest", "empty"),
                ("Referer", "https://shop.example.com/checkout"),
                ("Accept-Encoding", "gzip, deflate, br, zstd"),
                ("Accept-Language", "en-US,en;q=0.9,de;q=0.8"),
                ("Cookie", Cookies),
            ],
            RequestBody = body,
            ResponseStatus = 201,
            ResponseHeaders =
            [
                ("Date", "Thu, 26 Nov 2026 22:00:00 GMT"),
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", "64"),
                ("Location", "/api/v2/orders/ord_8KQ2M7ZP4X"),
                ("Cache-Control", "no-store"),
            ],
        };
    }

    private static (string Name, string Value)[] HtmlResponseHeaders(int length) =>
    [
        ("Date", "Thu, 26 Nov 2026 22:00:00 GMT"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", length.ToString(CultureInfo.InvariantCulture)),
        ("Cache-Control", "private, max-age=0"),
        ("Vary", "Accept-Encoding"),
        ("X-Content-Type-Options", "nosniff"),
        ("Set-Cookie", "recently_viewed=sku-48213; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax"),
    ];

    /// <summary>An order with nested objects and arrays, about 2 KB.</summary>
    private static string OrderJson() => """
        {"order":{"client_reference":"web-2026-11-26-8f3a","currency":"EUR","locale":"de-DE",
        "customer":{"id":"cus_5XJ81QWZ","email":"jane.doe@example.com","first_name":"Jane","last_name":"Doe",
        "phone":"+49 30 901820","marketing_opt_in":false,"loyalty":{"tier":"silver","points":1240}},
        "items":[
        {"sku":"RUN-BLU-42","name":"Trail Runner 3 - Blue","quantity":1,"unit_price":89.95,"size":"42","color":"blue","gift_wrap":false},
        {"sku":"SCK-WHT-3P","name":"Everyday Socks (3 pack)","quantity":2,"unit_price":12.5,"size":"39-42","color":"white","gift_wrap":false},
        {"sku":"CAP-GRY-OS","name":"Lightweight Running Cap","quantity":1,"unit_price":19.99,"size":"one size","color":"grey","gift_wrap":true},
        {"sku":"BTL-750-ST","name":"Insulated Bottle 750 ml","quantity":1,"unit_price":24.9,"size":"750 ml","color":"steel","gift_wrap":false}
        ],
        "shipping":{"method":"standard","carrier":"DHL","address":{"name":"Jane Doe","street":"Friedrichstrasse 123",
        "additional":"3rd floor, door on the left","postal_code":"10117","city":"Berlin","region":"Berlin","country":"DE"},
        "instructions":"Please leave the parcel with the neighbour at number 125 if nobody is home.","preferred_days":["Mon","Wed","Fri"]},
        "billing":{"same_as_shipping":true,"vat_id":null,"company":null},
        "payment":{"method":"card","token":"tok_1PqR8sT2uV3wX4yZ5aB6cD7e","save_card":true,"installments":1},
        "discounts":[{"code":"WINTER10","type":"percent","value":10}],
        "totals":{"subtotal":159.84,"discount":15.98,"shipping":4.95,"tax":23.76,"total":172.57}},
        "client":{"app_version":"4.18.2","screen":{"width":1920,"height":1080,"pixel_ratio":1},"timezone":"Europe/Berlin",
        "session":{"started_at":"2026-11-26T21:41:07Z","pages_viewed":14,"referrer":"https://www.example.org/reviews/trail-running-shoes"},
        "experiments":[{"name":"checkout_layout","variant":"b"},{"name":"free_shipping_banner","variant":"control"}]},
        "consent":{"terms_accepted":true,"privacy_version":"2026-03","newsletter":false},
        "notes":"Birthday present for my sister, please do not include the invoice in the parcel. Thank you!",
        "idempotency_key":"c3f1e8a2-7b4d-4c9e-a6f0-2d8b5e1c9a73"}
        """.ReplaceLineEndings("");

    /// <summary>A search results page of about 2 KB.</summary>
    private static string SearchResultsHtml()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Search: blue running shoes - Example Shop</title>");
        html.Append("<link rel=\"stylesheet\" href=\"/static/app.4f2c1a.css\"><script src=\"/static/app.9b3e7d.js\" defer></script></head>");
        html.Append("<body><header><a href=\"/\" class=\"logo\">Example Shop</a><form action=\"/search\" method=\"get\"><input name=\"q\" value=\"blue running shoes\"></form></header><main><ul class=\"results\">");
        for (var i = 1; i <= 8; i++)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<li class=\"product\"><a href=\"/p/run-blu-{40 + i}\"><img src=\"/img/run-blu-{40 + i}.webp\" alt=\"Trail Runner {i}\" loading=\"lazy\"><span class=\"name\">Trail Runner {i} - Blue</span><span class=\"price\">{79 + i}.95 EUR</span></a></li>");
        }
        html.Append("</ul><nav class=\"pages\"><a href=\"?q=blue+running+shoes&amp;page=1\">1</a> <b>2</b> <a href=\"?q=blue+running+shoes&amp;page=3\">3</a></nav></main>");
        html.Append("<footer>&copy; 2026 Example Shop GmbH</footer></body></html>");
        return html.ToString();
    }
}
