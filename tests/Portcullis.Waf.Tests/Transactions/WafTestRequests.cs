using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Tests.Transactions;

/// <summary>Runs a request through rules given as text, the way the gateway feeds the engine.</summary>
internal static class WafTestRequests
{
    public static Transaction Run(
        string rules,
        string uri = "/",
        string method = "GET",
        IEnumerable<(string Name, string Value)>? headers = null,
        string? body = null,
        RuleEngineMode? mode = null)
    {
        var ruleSet = RuleSetLoader.LoadText(rules, "test.conf");
        return Run(ruleSet, uri, method, headers, body, mode);
    }

    public static Transaction Run(
        RuleSet ruleSet,
        string uri = "/",
        string method = "GET",
        IEnumerable<(string Name, string Value)>? headers = null,
        string? body = null,
        RuleEngineMode? mode = null)
    {
        var tx = Start(ruleSet, uri, method, headers, body, mode);
        tx.ProcessLogging();
        return tx;
    }

    /// <summary>The request side only (phases 1 and 2), as before the gateway forwards the request upstream.</summary>
    public static Transaction Start(
        RuleSet ruleSet,
        string uri = "/",
        string method = "GET",
        IEnumerable<(string Name, string Value)>? headers = null,
        string? body = null,
        RuleEngineMode? mode = null)
    {
        var tx = ruleSet.CreateTransaction("test-1", mode);
        tx.ProcessConnection("127.0.0.1", 40000, "127.0.0.1", 443);
        tx.ProcessUri(method, uri, "HTTP/1.1");
        tx.AddRequestHeader("Host", "localhost");
        foreach (var (name, value) in headers ?? [])
        {
            tx.AddRequestHeader(name, value);
        }
        if (tx.ProcessRequestHeaders() is null)
        {
            if (body is not null)
            {
                tx.AppendRequestBody(System.Text.Encoding.Latin1.GetBytes(body));
            }
            tx.ProcessRequestBody();
        }
        return tx;
    }

    public static int[] Ids(this Transaction tx) => [.. tx.MatchedRules.Select(m => m.Id).Distinct()];
}
