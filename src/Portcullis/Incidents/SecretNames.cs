namespace Portcullis.Incidents;

/// <summary>
/// Decides whether an argument, cookie, JSON key or header name looks like it carries a secret, so its value is never
/// stored: <c>password</c>, <c>user_password</c>, <c>json.auth.token</c>, <c>X-Auth-Token</c>, <c>apiKey</c>.
/// Long words match anywhere in the name once separators are dropped (<c>api_key</c>, <c>csrftoken</c>,
/// <c>JSESSIONID</c>); short ones only as a whole name part, so <c>author</c> and <c>spinner</c> stay readable.
/// Redacting a harmless value is cheap; keeping a password in an incident database is not, so this errs wide.
/// </summary>
internal static class SecretNames
{
    private static readonly string[] Words =
    [
        "password", "passwd", "passphrase", "secret", "token", "apikey", "accesskey", "privatekey",
        "session", "sessid", "credential", "authorization",
    ];

    private static readonly string[] Parts = ["pwd", "pass", "sid", "auth", "otp", "pin"];

    /// <summary>Headers that always carry credentials, whatever the rules above say of their names.</summary>
    private static readonly HashSet<string> CredentialHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
    };

    public static bool IsSecret(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }
        Span<char> squashed = name.Length <= 256 ? stackalloc char[name.Length] : new char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                squashed[length++] = char.ToLowerInvariant(c);
            }
        }
        var letters = squashed[..length];
        foreach (var word in Words)
        {
            if (letters.IndexOf(word, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }
        return HasSecretPart(name);
    }

    /// <summary>Authorization, Cookie and the like, or a header whose name looks like a secret (X-Api-Key).</summary>
    public static bool IsSecretHeader(string name) => CredentialHeaders.Contains(name) || IsSecret(name);

    /// <summary>Splits at anything not a letter or digit and at camelCase humps: <c>userPin</c> → user, pin.</summary>
    private static bool HasSecretPart(string name)
    {
        var start = 0;
        for (var i = 0; i <= name.Length; i++)
        {
            var boundary = i == name.Length
                || !char.IsAsciiLetterOrDigit(name[i])
                || (i > start && char.IsAsciiLetterUpper(name[i]) && char.IsAsciiLetterLower(name[i - 1]));
            if (!boundary)
            {
                continue;
            }
            if (i - start is >= 3 and <= 4)
            {
                var part = name.AsSpan(start, i - start);
                foreach (var word in Parts)
                {
                    if (part.Equals(word, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }
            start = i < name.Length && char.IsAsciiLetterOrDigit(name[i]) ? i : i + 1;
        }
        return false;
    }
}
