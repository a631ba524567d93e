namespace Portcullis.Waf.Transformations;

/// <summary>
/// <c>t:cmdLine</c> — normalises shell command lines (ModSecurity v2 <c>msre_fn_cmdline_execute</c>): deletes
/// <c>\ " ' ^</c>; turns each run of space, tab, CR, LF, <c>,</c> and <c>;</c> into one space; deletes a space
/// before <c>/</c> or <c>(</c>; lowercases A–Z. v2 stops at the first NUL byte (it walks a C string), which lets
/// <c>%00</c> hide the rest of a command; like ModSecurity v3 and Coraza we process every byte.
/// Example: <c>C^md.exe  /c "DIR"</c> → <c>cmd.exe/c dir</c>.
/// </summary>
internal sealed class CmdLine : Transformation
{
    public static readonly CmdLine Instance = new();

    private CmdLine()
    {
    }

    public override string Name => "cmdLine";

    public override bool NeverLengthens => true;

    /// <inheritdoc />
    /// <remarks>Deleted and separator characters, and A-Z (the space before <c>/</c> or <c>(</c> needs a space).</remarks>
    public override string? Triggers => "\"'\\^ ,;\t\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <inheritdoc />
    public override bool FoldsCaseOnly => true;

    public override string Apply(string input)
    {
        if (input.Length == 0)
        {
            return input;
        }
        var output = new Latin1Builder(stackalloc char[256]);
        try
        {
            output.EnsureCapacity(input.Length);
            var afterSpace = false;
            foreach (var c in input)
            {
                switch (c)
                {
                    case '"' or '\'' or '\\' or '^':
                        // Deleted without ending a run of spaces: "a ^ b" is "a b".
                        break;
                    case ' ' or ',' or ';' or '\t' or '\r' or '\n':
                        if (!afterSpace)
                        {
                            output.Append(' ');
                            afterSpace = true;
                        }
                        break;
                    case '/' or '(':
                        if (afterSpace)
                        {
                            output.RemoveLast();
                        }
                        afterSpace = false;
                        output.Append(c);
                        break;
                    default:
                        output.Append(CType.ToLower(c));
                        afterSpace = false;
                        break;
                }
            }
            return output.ToStringOrOriginal(input);
        }
        finally
        {
            output.Dispose();
        }
    }
}
