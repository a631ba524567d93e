namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>Bounds on the literal analysis, so every set stays small enough to test cheaply per value.</summary>
/// <param name="MaxClassFanOut">A class with more (case-folded) members than this counts as "any byte".</param>
/// <param name="MaxLiterals">The most literals any set may hold; larger sets are shortened until they fit.</param>
/// <param name="MinLiteralLength">A result whose shortest literal is shorter is not worth testing (it would be
/// found in almost every value), so <see cref="RequiredLiterals.Analyze(string)"/> returns null instead.</param>
internal sealed record PrefilterLimits(int MaxClassFanOut = 8, int MaxLiterals = 64, int MinLiteralLength = 3)
{
    public static PrefilterLimits Default { get; } = new();
}
