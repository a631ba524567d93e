namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// Finds the boundary in the request's Content-Type exactly as ModSecurity v2's <c>multipart_init</c> does, strict
/// checks included: only <c>multipart/form-data</c>; at most one <c>boundary=</c>; nothing but whitespace and one
/// semicolon before it (MULTIPART_MISSING_SEMICOLON when the semicolon is absent); whitespace around the <c>=</c>
/// flags MULTIPART_BOUNDARY_WHITESPACE; a fully quoted value flags MULTIPART_BOUNDARY_QUOTED, a half-quoted one is an
/// error; the value runs to the end of the header (so a parameter after it is part of it and fails the RFC 2046
/// character check). The parameter name is matched case-sensitively: <c>BOUNDARY=</c> is an error.
/// </summary>
internal static class MultipartContentType
{
    private const string MimeType = "multipart/form-data";
    private const string Parameter = "boundary";

    // ModSecurity refuses longer Content-Type values before looking at them.
    private const int MaxLength = 1024;

    /// <returns>null and the boundary, or the error message (flags.Error is then set).</returns>
    public static string? TryGetBoundary(string? contentType, MultipartFlags flags, out string boundary)
    {
        boundary = string.Empty;
        var error = Check(contentType, flags, ref boundary);
        if (error is not null)
        {
            flags.Error = true;
        }
        return error;
    }

    private static string? Check(string? contentType, MultipartFlags flags, ref string boundary)
    {
        if (contentType is null)
        {
            return "Multipart: Content-Type header not available.";
        }
        if (contentType.Length > MaxLength)
        {
            return "Multipart: Invalid boundary in C-T (length).";
        }
        if (!MultipartSyntax.StartsWithAsciiIgnoreCase(contentType, MimeType))
        {
            return "Multipart: Invalid MIME type.";
        }
        if (CountBoundaryParameters(contentType) > 1)
        {
            return "Multipart: Multiple boundary parameters in C-T.";
        }

        var start = contentType.IndexOf(Parameter, StringComparison.Ordinal);
        if (start < 0)
        {
            return CountBoundaryParameters(contentType) > 0
                ? "Multipart: Invalid boundary in C-T (case sensitivity)."
                : "Multipart: Boundary not found in C-T.";
        }

        var seenSemicolon = false;
        for (var i = MimeType.Length; i < start; i++)
        {
            if (MultipartSyntax.IsSpace(contentType[i]))
            {
                continue;
            }
            if (!seenSemicolon && contentType[i] == ';')
            {
                seenSemicolon = true;
                continue;
            }
            return "Multipart: Invalid boundary in C-T (malformed).";
        }
        flags.MissingSemicolon |= !seenSemicolon;

        var equals = contentType.IndexOf('=', start + Parameter.Length);
        if (equals < 0)
        {
            return "Multipart: Invalid boundary in C-T (malformed).";
        }
        for (var i = start + Parameter.Length; i < equals; i++)
        {
            if (!MultipartSyntax.IsSpace(contentType[i]))
            {
                return "Multipart: Invalid boundary in C-T (parameter name).";
            }
            flags.BoundaryWhitespace = true;
        }

        var value = contentType[(equals + 1)..];
        if (value.Length > 0 && MultipartSyntax.IsSpace(value[0]))
        {
            flags.BoundaryWhitespace = true;
        }
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
            flags.BoundaryQuoted = true;
        }
        else if ((value.Length > 0 && value[0] == '"') || (value.Length >= 2 && value[^1] == '"'))
        {
            return "Multipart: Invalid boundary in C-T (quote).";
        }

        if (CountBoundaryParameters(value) != 0)
        {
            return "Multipart: Invalid boundary in C-T (content).";
        }
        if (!HasValidCharacters(value))
        {
            return "Multipart: Invalid boundary in C-T (characters).";
        }
        if (value.Length == 0)
        {
            return "Multipart: Invalid boundary in C-T (empty).";
        }
        boundary = value;
        return null;
    }

    /// <summary>Case-insensitive occurrences of "boundary" with an <c>=</c> somewhere after them.</summary>
    private static int CountBoundaryParameters(string value)
    {
        var count = 0;
        var from = 0;
        while (true)
        {
            var at = IndexOfAsciiIgnoreCase(value, Parameter, from);
            if (at < 0)
            {
                return count;
            }
            from = at + Parameter.Length;
            if (value.IndexOf('=', from) >= 0)
            {
                count++;
            }
        }
    }

    private static int IndexOfAsciiIgnoreCase(string value, string lowerNeedle, int from)
    {
        for (var i = from; i + lowerNeedle.Length <= value.Length; i++)
        {
            if (MultipartSyntax.StartsWithAsciiIgnoreCase(value.AsSpan(i), lowerNeedle))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>RFC 2046 §5.1.1 bchars: digits, letters, <c>'()+_,-./:=?</c> and space, but not as the last character.</summary>
    private static bool HasValidCharacters(string boundary)
    {
        for (var i = 0; i < boundary.Length; i++)
        {
            var c = boundary[i];
            var valid = char.IsAsciiLetterOrDigit(c)
                || (c == ' ' && i + 1 < boundary.Length)
                || c is '\'' or '(' or ')' or '+' or '_' or ',' or '-' or '.' or '/' or ':' or '=' or '?';
            if (!valid)
            {
                return false;
            }
        }
        return true;
    }
}
