namespace Portcullis.Audit.Http;

/// <summary>
/// The attributes of one Set-Cookie field that matter for the audit (RFC 6265 §4.1, SameSite from RFC 6265bis §4.1.2.7).
/// </summary>
/// <param name="SameSite">The SameSite value as sent, or null when absent.</param>
internal sealed record SetCookie(string Name, bool Secure, bool HttpOnly, string? SameSite)
{
    /// <summary>The Observatory's session heuristic: the name contains "login" or "sess".</summary>
    public bool LooksLikeSession =>
        Name.Contains("login", StringComparison.OrdinalIgnoreCase) || Name.Contains("sess", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Observatory's anti-CSRF heuristic: the name contains "csrf".</summary>
    public bool LooksLikeAntiCsrf => Name.Contains("csrf", StringComparison.OrdinalIgnoreCase);

    /// <summary>SameSite present but not Strict, Lax or None (browsers then treat it as absent).</summary>
    public bool SameSiteInvalid => SameSite is not null && !(SameSite.Equals("strict", StringComparison.OrdinalIgnoreCase)
        || SameSite.Equals("lax", StringComparison.OrdinalIgnoreCase) || SameSite.Equals("none", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses one Set-Cookie value; null when it has no name=value pair.</summary>
    public static SetCookie? Parse(string field)
    {
        var parts = field.Split(';');
        var pair = parts[0];
        var eq = pair.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return null;
        }
        var name = pair[..eq].Trim();
        bool secure = false, httpOnly = false;
        string? sameSite = null;
        foreach (var attribute in parts.Skip(1))
        {
            var a = attribute.Trim();
            var aeq = a.IndexOf('=', StringComparison.Ordinal);
            var key = (aeq < 0 ? a : a[..aeq]).Trim();
            if (key.Equals("Secure", StringComparison.OrdinalIgnoreCase))
            {
                secure = true;
            }
            else if (key.Equals("HttpOnly", StringComparison.OrdinalIgnoreCase))
            {
                httpOnly = true;
            }
            else if (key.Equals("SameSite", StringComparison.OrdinalIgnoreCase))
            {
                sameSite = aeq < 0 ? "" : a[(aeq + 1)..].Trim();
            }
        }
        return name.Length == 0 ? null : new SetCookie(name, secure, httpOnly, sameSite);
    }
}
