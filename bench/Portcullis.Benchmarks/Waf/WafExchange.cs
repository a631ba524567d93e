using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// One request and its upstream's response, prepared once (strings and bytes built in setup) so that an invocation
/// measures only the engine. Strings hold one char per byte, as the gateway hands them over.
/// </summary>
internal sealed class WafExchange
{
    public required string Method { get; init; }

    public required string Target { get; init; }

    public required IReadOnlyList<(string Name, string Value)> RequestHeaders { get; init; }

    public byte[]? RequestBody { get; init; }

    public int ResponseStatus { get; init; } = 200;

    public required IReadOnlyList<(string Name, string Value)> ResponseHeaders { get; init; }

    /// <summary>When set, sent instead of the User-Agent header's value (a client the engine has not seen before).</summary>
    public string? UserAgent { get; set; }

    /// <summary>When set and the engine wants it (MIME type listed), phase 4 runs on it, as the gateway does.</summary>
    public byte[]? ResponseBody { get; init; }

    /// <summary>
    /// Feeds the transaction in the order the gateway does (RequestFeeder, FirewallMiddleware, InspectedResponseBody):
    /// connection, request line, headers, phase 1, body, phase 2, response headers, phase 3, [phase 4], phase 5.
    /// </summary>
    public Transaction Run(RuleSet rules, RuleEngineMode mode)
    {
        var tx = Start(rules, mode, out var interruption);
        Finish(tx, interruption);
        return tx;
    }

    /// <summary>The request side: connection, request line, headers, phase 1, body, phase 2.</summary>
    public Transaction Start(RuleSet rules, RuleEngineMode mode, out Interruption? interruption)
    {
        var tx = rules.CreateTransaction("8069b29c022d422a8557f106dd7c1356", mode);
        tx.ProcessConnection("203.0.113.7", 51544, "10.0.0.5", 443);
        tx.ProcessUri(Method, Target, "HTTP/1.1");
        foreach (var (name, value) in RequestHeaders)
        {
            tx.AddRequestHeader(name, UserAgent is { } userAgent && name == "User-Agent" ? userAgent : value);
        }
        interruption = tx.ProcessRequestHeaders();
        if (interruption is null)
        {
            if (RequestBody is not null)
            {
                tx.AppendRequestBody(RequestBody);
            }
            interruption = tx.ProcessRequestBody();
        }
        return tx;
    }

    /// <summary>
    /// The response side, after the upstream answered (in the gateway, other requests' phases run meanwhile):
    /// response headers, phase 3, [phase 4], phase 5.
    /// </summary>
    public void Finish(Transaction tx, Interruption? interruption)
    {
        if (interruption is null)
        {
            foreach (var (name, value) in ResponseHeaders)
            {
                tx.AddResponseHeader(name, value);
            }
            interruption = tx.ProcessResponseHeaders(ResponseStatus, "HTTP/1.1");
            if (interruption is null && ResponseBody is not null && tx.WantsResponseBody)
            {
                tx.AppendResponseBody(ResponseBody);
                tx.ProcessResponseBody();
            }
        }
        tx.ProcessLogging();
    }
}
