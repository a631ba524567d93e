using System.Text;
using Portcullis.Waf.Transactions;

namespace Portcullis.Incidents;

/// <summary>
/// Takes credentials out of an incident before it is stored or shown, and bounds every value. One instance per
/// incident: the secrets it redacts from headers and the query are remembered, so a copy of the same value in a
/// match (a rule that read REQUEST_URI, a capture in TX:0, CRS's "Matched Data ... found within" text) is
/// scrubbed too. A redacted value reads <c>[redacted N bytes]</c>, N being its length as received.
/// </summary>
internal sealed class IncidentRedactor
{
    /// <summary>The longest value kept, like the security log's cut but larger: enough to read a payload.</summary>
    public const int MaxValueLength = 1024;

    /// <summary>Argument names longer than this are not checked for secret words (see <see cref="SecretPairs"/>).</summary>
    private const int MaxNameLength = SecretPairs.MaxNameLength;

    /// <summary>Values are cut to this before scanning, so a 10 MB matched body costs no more than 16 KB of work.</summary>
    private const int MaxScanLength = 16 * 1024;

    /// <summary>Shorter secrets are not scrubbed from other text: "1" or "yes" would wipe out everything else.</summary>
    private const int MinScrubLength = 4;

    /// <summary>
    /// Secrets remembered for scrubbing; each is searched for in every value, so a query of thousands of
    /// <c>token=...</c> pairs must not make that quadratic. Real requests carry a handful.
    /// </summary>
    private const int MaxSecrets = 32;

    /// <summary>How a marker starts: a value already redacted is not redacted again.</summary>
    private const string MarkerStart = "[redacted";

    /// <summary>Collections whose keys are argument, cookie or file names (JSON bodies become ARGS named json.a.b).</summary>
    private static readonly HashSet<string> ArgumentCollections = new(StringComparer.Ordinal)
    {
        "ARGS", "ARGS_GET", "ARGS_POST", "REQUEST_COOKIES", "FILES", "FILES_TMPNAMES", "MULTIPART_PART_HEADERS",
    };

    private static readonly HashSet<string> HeaderCollections = new(StringComparer.Ordinal) { "REQUEST_HEADERS", "RESPONSE_HEADERS" };

    private static readonly System.Buffers.SearchValues<char> AsciiLetters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Longest first, so a secret that contains another is replaced whole.</summary>
    private readonly List<string> _secrets = [];

    private int _longestSecret;

    public static string Marker(int length) => $"[redacted {length} bytes]";

    /// <summary>Cuts a value to <see cref="MaxValueLength"/>; the cut is marked so nobody mistakes it for the whole.</summary>
    public static string Bound(string value) => value.Length <= MaxValueLength ? value : value[..MaxValueLength] + "...";

    /// <summary>True when a match on this variable (<c>ARGS:password</c>, <c>REQUEST_HEADERS:Authorization</c>) saw a secret.</summary>
    public static bool IsSecretVariable(string variable)
    {
        var colon = variable.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == variable.Length - 1)
        {
            return false;
        }
        var collection = variable[..colon];
        var key = variable[(colon + 1)..];
        return ArgumentCollections.Contains(collection) ? SecretNames.IsSecret(key)
            : HeaderCollections.Contains(collection) && SecretNames.IsSecretHeader(key);
    }

    /// <summary>Credential headers lose their values (cookies keep their names); other headers are scrubbed of secret pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers(IEnumerable<KeyValuePair<string, string>> headers, int maxCount)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in headers)
        {
            if (result.Count == maxCount)
            {
                break;
            }
            var redacted = name.Equals("Cookie", StringComparison.OrdinalIgnoreCase) ? Cookie(value)
                : name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) ? Remember(value)
                : SecretNames.IsSecretHeader(name) ? Credential(value)
                : value;
            result.Add(new(Bound(name), redacted));
        }
        // Second pass: a secret remembered from a later header (a cookie) may also sit in an earlier one (a Referer).
        for (var i = 0; i < result.Count; i++)
        {
            if (!SecretNames.IsSecretHeader(result[i].Key))
            {
                result[i] = new(result[i].Key, Bound(Scrub(result[i].Value)));
            }
        }
        return result;
    }

    /// <summary>The query string with the value of every secret-looking argument replaced.</summary>
    public string Query(string query)
    {
        if (query.Length == 0)
        {
            return query;
        }
        var text = query.Length > MaxScanLength ? query[..MaxScanLength] : query;
        var output = new StringBuilder(text.Length);
        foreach (var pair in text.Split('&'))
        {
            if (output.Length > 0)
            {
                output.Append('&');
            }
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !SecretNames.IsSecret(PercentDecode(pair[..equals])))
            {
                output.Append(pair);
                continue;
            }
            var value = pair[(equals + 1)..];
            Remember(value);
            Remember(PercentDecode(value));
            output.Append(pair, 0, equals + 1).Append(Marker(value.Length));
        }
        return Bound(Scrub(output.ToString()));
    }

    /// <summary>Redacts the match's value and data when its variable is a secret; otherwise scrubs known secrets from them.</summary>
    public IncidentMatch Match(MatchedRule match)
    {
        var secret = IsSecretVariable(match.VariableName);
        return new IncidentMatch(
            match.Id,
            (int)match.Phase,
            match.Message is null ? null : Bound(Scrub(match.Message)),
            match.Data is null ? null : secret ? Marker(match.Data.Length) : Bound(Scrub(match.Data)),
            match.Severity,
            [.. match.Tags.Select(Bound)],
            Bound(match.VariableName),
            secret ? Marker(match.MatchedValue.Length) : Bound(Scrub(match.MatchedValue)),
            Path.GetFileName(match.File),
            match.Line);
    }

    /// <summary>Remembers the values of secret matches first, so other matches that copied them are scrubbed too.</summary>
    public void RememberSecretMatches(IEnumerable<MatchedRule> matches)
    {
        foreach (var match in matches.Where(m => IsSecretVariable(m.VariableName)))
        {
            Remember(match.MatchedValue);
        }
    }

    /// <summary>
    /// Replaces remembered secrets and the values of <c>name=value</c> / <c>"name": "value"</c> pairs with secret
    /// names. Only the part that can end up in the bounded result is scanned: the first
    /// <see cref="MaxValueLength"/> characters plus the longest secret, so a secret that starts inside the kept part
    /// is always seen whole and a huge value costs no more than a small one.
    /// </summary>
    public string Scrub(string text)
    {
        var window = MaxValueLength + Math.Max(MaxNameLength, _longestSecret);
        if (text.Length > window)
        {
            text = text[..window];
        }
        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.OrdinalIgnoreCase))
            {
                // Ignoring case: a rule's t:lowercase copy of the secret is still the secret.
                text = text.Replace(secret, Marker(secret.Length), StringComparison.OrdinalIgnoreCase);
            }
        }
        return SecretPairs.Redact(text);
    }

    /// <summary><c>a=1; session=abc</c> → <c>a=[redacted 1 bytes]; session=[redacted 3 bytes]</c>: which cookies, never their values.</summary>
    private string Cookie(string header)
    {
        var output = new StringBuilder();
        foreach (var part in header.Split(';'))
        {
            var cookie = part.Trim();
            if (cookie.Length == 0)
            {
                continue;
            }
            if (output.Length > 0)
            {
                output.Append("; ");
            }
            var equals = cookie.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? "" : cookie[..equals];
            var value = equals < 0 ? cookie : cookie[(equals + 1)..];
            if (SecretNames.IsSecret(name))
            {
                Remember(value);
            }
            output.Append(Bound(name)).Append('=').Append(Marker(value.Length));
        }
        return Bound(output.ToString());
    }

    /// <summary>Keeps an auth scheme ("Bearer", "Basic": useful when debugging, not secret) and redacts the rest.</summary>
    private string Credential(string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space is > 0 and <= 32 && !value.AsSpan(0, space).ContainsAnyExcept(AsciiLetters))
        {
            var credential = value[(space + 1)..];
            Remember(credential);
            return value[..(space + 1)] + Marker(credential.Length);
        }
        return Remember(value);
    }

    /// <summary>Remembers a secret for scrubbing and returns its marker.</summary>
    private string Remember(string value)
    {
        var secret = value.Length > MaxScanLength ? value[..MaxScanLength] : value;
        if (secret.Length >= MinScrubLength && _secrets.Count < MaxSecrets && !_secrets.Contains(secret, StringComparer.OrdinalIgnoreCase))
        {
            var at = _secrets.FindIndex(s => s.Length < secret.Length);
            _secrets.Insert(at < 0 ? _secrets.Count : at, secret);
            _longestSecret = Math.Max(_longestSecret, secret.Length);
        }
        return Marker(value.Length);
    }

    /// <summary>Percent- and plus-decoding to bytes (one char each), as the engine decodes argument names.</summary>
    private static string PercentDecode(string text)
    {
        if (text.IndexOfAny(['%', '+']) < 0)
        {
            return text;
        }
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                output.Append(' ');
            }
            else if (c == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                output.Append((char)Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                output.Append(c);
            }
        }
        return output.ToString();
    }
}
