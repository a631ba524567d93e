namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>Bounds on the literal analysis, so every set stays small enough to test cheaply per value.</summary>
/// <param name="MaxClassFanOut">A class with more (case-folded) members than this counts as "any byte".</param>
/// <param name="MaxLiterals">The most literals any set may hold; larger sets are shortened until they fit.</param>
/// <param name="MinLiteralLength">A result whose shortest literal is shorter is not worth testing (it would be
/// found in almost every value), so <see cref="RequiredLiterals.Analyze(string)"/> returns null instead.</param>
/// <param name="ShortIfRare">Accept shorter literals too when each holds a character benign values seldom contain
/// (<see cref="IsRare"/>): <c>$</c>, <c>{</c>, <c>&lt;?</c>, a line break. Worth it since one shared scan finds
/// every literal of a value at once (<see cref="LiteralScanner"/>), whatever their length or number.</param>
internal sealed record PrefilterLimits(int MaxClassFanOut = 8, int MaxLiterals = 64, int MinLiteralLength = 3, bool ShortIfRare = false)
{
    public static PrefilterLimits Default { get; } = new();

    /// <summary>
    /// Characters that are rare in benign parameter, cookie and header values and common in attacks: control
    /// characters and shell, template, markup and SQL punctuation. Double quotes, parentheses, <c>;</c>, <c>:</c>,
    /// <c>/</c> and <c>%</c> are left out: browsers' own headers are full of them.
    /// </summary>
    public static bool IsRare(char c) =>
        c < ' ' || c is '$' or '{' or '}' or '<' or '>' or '`' or '|' or '~' or '!' or '^' or '[' or ']' or '\\' or '*' or '\'' or '#';

    /// <summary>True when <paramref name="literal"/> is long enough to test, or short but holding a rare character.</summary>
    public bool IsWorthTesting(string literal) =>
        literal.Length >= MinLiteralLength || (ShortIfRare && literal.Length > 0 && literal.Any(IsRare));
}
