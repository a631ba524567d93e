using System.Globalization;
using System.Text;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Tests.BuiltIn;

/// <summary>Hand-written requests for the built-in rule tests, run through prelude + built-in rules.</summary>
internal static class BuiltInRequest
{
    public const string BrowserUserAgent = CorpusRequest.DefaultUserAgent;

    /// <summary>
    /// Runs one request. <paramref name="headers"/> is "Name: value" lines; Host and a browser User-Agent are added unless
    /// given; a body gets its Content-Length.
    /// </summary>
    public static Transaction Run(string method, string uri, string[]? headers = null, string? contentType = null, string? body = null,
        RuleSet? rules = null, string protocol = "HTTP/1.1", bool addHost = true)
    {
        var list = new List<(string Name, string Value)>();
        foreach (var line in headers ?? [])
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            list.Add((line[..colon], line[(colon + 1)..].TrimStart()));
        }
        if (addHost && !list.Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            list.Insert(0, ("Host", "shop.example"));
        }
        if (!list.Any(h => h.Name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)))
        {
            list.Add(("User-Agent", BrowserUserAgent));
        }
        var bytes = body is null ? [] : Encoding.Latin1.GetBytes(CorpusRequest.Latin1(body));
        if (contentType is not null)
        {
            list.Add(("Content-Type", contentType));
            list.Add(("Content-Length", bytes.Length.ToString(CultureInfo.InvariantCulture)));
        }
        return new CorpusRequest(method, uri, protocol, list, bytes).Run(rules ?? BuiltInPrelude.Rules, "test");
    }

    public static int[] Ids(this Transaction tx) => [.. tx.MatchedRules.Select(m => m.Id).Distinct()];

    /// <summary>The matches, one per line, for assertion messages.</summary>
    public static string Describe(this Transaction tx) =>
        tx.MatchedRules.Count == 0 ? "(no rule matched)" : string.Join("\n", tx.MatchedRules.Select(m => m.ToLogLine()));
}
