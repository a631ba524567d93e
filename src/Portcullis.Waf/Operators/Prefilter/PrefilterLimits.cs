namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>Bounds on the literal analysis, so every set stays small enough to test cheaply per value.</summary>
/// <param name="MaxClassFanOut">A class with more (case-folded) members than this counts as "any byte".</param>
/// <param name="MaxLiterals">The most literals any set may hold; larger sets are shortened until they fit.</param>
/// <param name="MinLiteralLength">A result whose shortest literal is shorter is not worth testing (it would be
/// found in almost every value), so <see cref="RequiredLiterals.Analyze(string)"/> returns null instead.</param>
/// <param name="ShortIfRare">Accept shorter literals too when each holds a character benign values seldom contain
/// (<see cref="IsRare"/>): <c>$</c>, <c>{</c>, <c>&lt;?</c>, a line break. Worth it since one shared scan finds
/// every literal of a value at once (<see cref="LiteralScanner"/>), whatever their length or number.</param>
/// <param name="ShortIfPunctuation">Accept shorter literals too when they are ASCII punctuation with a character not
/// in every other value (<c>"</c>, <c>)</c>; not <c>/</c> or <c>.</c>): for the shared scan, where a literal costs
/// a bit test per value, not a search.</param>
internal sealed record PrefilterLimits(int MaxClassFanOut = 8, int MaxLiterals = 64, int MinLiteralLength = 3, bool ShortIfRare = false, bool ShortIfPunctuation = false)
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
        literal.Length >= MinLiteralLength
        || (ShortIfRare && literal.Length > 0 && literal.Any(IsRare))
        || (ShortIfPunctuation && literal.Length > 0 && literal.All(c => char.IsAscii(c) && !char.IsAsciiLetterOrDigit(c))
            && literal.Any(c => !Ubiquitous.Contains(c)));

    /// <summary>
    /// Punctuation in most benign values (paths, dates, e-mail addresses, Accept headers): a short literal made only of
    /// these lets nearly every value through and was measured to cost more than it saves (CRS 920100 on "/",
    /// 920440 on ".", 941170 on "-").
    /// </summary>
    private const string Ubiquitous = " ,-./:=@_*+&%";
}
