namespace Portcullis.CrsTest;

/// <summary>
/// Go's <c>textproto.CanonicalMIMEHeaderKey</c>: go-ftw compares header names in this form ("content-type" and
/// "Content-Type" are the same header), and Go's server writes response header names in it. A name holding any byte
/// that is not an RFC 7230 token character is returned unchanged, as Go does.
/// </summary>
internal static class GoHeaderKey
{
    public static string Canonical(string name)
    {
        foreach (var c in name)
        {
            if (!IsTokenChar(c))
            {
                return name;
            }
        }
        return string.Create(name.Length, name, static (span, source) =>
        {
            var upper = true;
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
                upper = c == '-';
            }
        });
    }

    public static bool SameHeader(string a, string b) => string.Equals(Canonical(a), Canonical(b), StringComparison.Ordinal);

    /// <summary>RFC 7230 tchar: ALPHA, DIGIT and <c>!#$%&amp;'*+-.^_`|~</c>.</summary>
    public static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
