namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// Parses a part's Content-Disposition value as ModSecurity v2's <c>multipart_parse_content_disposition</c> does.
/// Only <c>form-data</c> with the parameters <c>name</c> and <c>filename</c> is accepted (any other parameter — even
/// RFC 5987's <c>filename*</c> — a duplicate, or garbage after a value is an error with ModSecurity's negative code). Values are tokens or quoted
/// strings; inside quotes a backslash escapes only the quote and itself and is kept before anything else (IE sends
/// unescaped paths). Single quotes are accepted but flag MULTIPART_INVALID_QUOTING, as does a <c>'</c> inside an
/// unquoted or single-quoted value. Every name/filename value seen becomes MULTIPART_NAME/MULTIPART_FILENAME, even on
/// a later error (ModSecurity records them before the duplicate check).
/// </summary>
internal static class MultipartContentDisposition
{
    public static int Parse(string value, MultipartPart part, MultipartFlags flags, MultipartNames seen)
    {
        const string FormData = "form-data";
        if (!value.StartsWith(FormData, StringComparison.Ordinal))
        {
            return -1;
        }

        var p = SkipBlanks(value, FormData.Length);
        if (p == value.Length)
        {
            return 1;
        }
        if (value[p] != ';')
        {
            return -2;
        }
        p++;

        while (p < value.Length)
        {
            p = SkipBlanks(value, p);
            if (p == value.Length)
            {
                return -3;
            }

            var start = p;
            while (p < value.Length && value[p] is not ('=' or '\t' or ' '))
            {
                p++;
            }
            if (p == value.Length)
            {
                return -4;
            }
            var name = value[start..p];

            p = SkipBlanks(value, p);
            if (p == value.Length)
            {
                return -5;
            }
            if (value[p] != '=')
            {
                return -13;
            }
            p = SkipBlanks(value, p + 1);
            if (p == value.Length)
            {
                return -6;
            }

            var quote = '\0';
            string parameterValue;
            if (value[p] is '"' or '\'')
            {
                quote = value[p];
                flags.InvalidQuoting |= quote == '\'';
                var code = ReadQuoted(value, ref p, quote, out parameterValue);
                if (code < 0)
                {
                    return code;
                }
            }
            else
            {
                start = p;
                while (p < value.Length && MultipartSyntax.IsTokenChar(value[p]))
                {
                    p++;
                }
                parameterValue = value[start..p];
            }

            switch (name)
            {
                case "name":
                    FlagSingleQuotes(parameterValue, quote, flags);
                    seen.Name = parameterValue;
                    if (part.Name is not null)
                    {
                        return -14;
                    }
                    part.Name = parameterValue;
                    break;
                case "filename":
                    FlagSingleQuotes(parameterValue, quote, flags);
                    seen.FileName = parameterValue;
                    if (part.FileName is not null)
                    {
                        return -15;
                    }
                    part.FileName = parameterValue;
                    break;
                default:
                    return -11;
            }

            if (p < value.Length)
            {
                p = SkipBlanks(value, p);
                if (p == value.Length)
                {
                    return 1;
                }
                if (value[p] != ';')
                {
                    // Something follows the value without a separator: a quote there means broken quoting.
                    flags.InvalidQuoting |= value[p - 1] is '\'' or '"';
                    return -12;
                }
                p++;
            }
        }
        return 1;
    }

    private static int ReadQuoted(string value, ref int p, char quote, out string result)
    {
        result = string.Empty;
        p++;
        if (p == value.Length)
        {
            return -7;
        }
        var output = new System.Text.StringBuilder();
        while (p < value.Length)
        {
            var c = value[p];
            if (c == '\\')
            {
                if (p + 1 == value.Length)
                {
                    return -8;
                }
                if (value[p + 1] == quote || value[p + 1] == '\\')
                {
                    p++;
                }
            }
            else if (c == quote)
            {
                result = output.ToString();
                p++;
                return 1;
            }
            output.Append(value[p]);
            p++;
        }
        return -10;
    }

    private static void FlagSingleQuotes(string parameterValue, char quote, MultipartFlags flags)
    {
        // A double-quoted value may hold a single quote; anything else holding one is suspicious quoting.
        if (quote != '"' && parameterValue.Contains('\'', StringComparison.Ordinal))
        {
            flags.InvalidQuoting = true;
        }
    }

    private static int SkipBlanks(string value, int p)
    {
        while (p < value.Length && value[p] is ' ' or '\t')
        {
            p++;
        }
        return p;
    }
}
