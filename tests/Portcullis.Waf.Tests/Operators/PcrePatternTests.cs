using System.Text.RegularExpressions;
using Portcullis.Waf.Operators;
using Portcullis.Waf.SecLang;

namespace Portcullis.Waf.Tests.Operators;

/// <summary>
/// Each pitfall of notes/waf.md §3 with the input that shows it: the untranslated .NET pattern gets it wrong (so the
/// test would fail without the fix), the translated one agrees with PCRE in byte mode. Inputs are bytes as Latin-1.
/// </summary>
public sealed class PcrePatternTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private static bool Pcre(string pattern, string input) => PcrePattern.Compile(pattern, Timeout).IsMatch(input);

    private static bool Raw(string pattern, string input, RegexOptions options = RegexOptions.None) =>
        new Regex(pattern, RegexOptions.Singleline | RegexOptions.CultureInvariant | options, Timeout).IsMatch(input);

    [Fact]
    public void Translate_BracedHexEscape_MatchesTheBytes()
    {
        // CRS 934120 matches a UTF-8 sequence byte by byte.
        Assert.Throws<RegexParseException>(() => Raw(@"\x{e2}\x{91}[\xa0-\xbf]", "x"));
        Assert.True(Pcre(@"\x{e2}\x{91}[\xa0-\xbf]", "a\u00e2\u0091\u00a0b"));
        Assert.False(Pcre(@"\x{e2}\x{91}[\xa0-\xbf]", "a\u00e2\u0091\u00c0b"));
    }

    [Theory]
    [InlineData("\u0085")]
    [InlineData("\u00a0")]
    public void Translate_WhitespaceClass_IsAsciiOnly(string highByte)
    {
        Assert.True(Raw(@"a\sb", "a" + highByte + "b"));
        Assert.False(Pcre(@"a\sb", "a" + highByte + "b"));
        Assert.False(Pcre(@"a[\s,]b", "a" + highByte + "b"));
        Assert.True(Pcre(@"a\sb", "a\tb"));
    }

    [Fact]
    public void Translate_WordBoundary_HighBytesAreNotWordCharacters()
    {
        // "\xE9select": PCRE in byte mode sees a boundary before "select"; .NET thinks é is a letter: an evasion.
        Assert.False(Raw(@"\bselect\b", "\u00e9select"));
        Assert.True(Pcre(@"\bselect\b", "\u00e9select"));
        Assert.False(Pcre(@"\bselect\b", "xselect"));
        Assert.True(Pcre(@"\w+", "\u00e9a"));
        Assert.False(Pcre(@"^\w+$", "\u00e9a"));
    }

    [Fact]
    public void Translate_Dollar_IsEndOnly()
    {
        Assert.True(Raw("abc$", "abc\n"));
        Assert.False(Pcre("abc$", "abc\n"));
        Assert.True(Pcre("abc$", "abc"));
        Assert.True(Pcre("[$]x", "$x"));
    }

    [Fact]
    public void Translate_CaseInsensitive_FoldsAsciiOnly()
    {
        Assert.True(Raw("(?i)caf\u00e9", "CAF\u00c9"));
        Assert.False(Pcre("(?i)caf\u00e9", "CAF\u00c9"));
        Assert.True(Pcre("(?i)caf\u00e9", "CaF\u00e9"));
        Assert.True(Pcre("(?i:[a-c]+)x", "ABCx"));
        Assert.False(Pcre("(?i:a)b", "AB"));
    }

    [Fact]
    public void Translate_CaseInsensitive_LeavesEscapesAlone()
    {
        // The "c" of \x5c is a hex digit, not a letter to fold.
        Assert.True(Pcre(@"(?i)a\x5cb", "A\\B"));
        Assert.True(Pcre(@"(?i)[\x5cz]", "Z"));
        Assert.False(Pcre(@"(?i)a\x5cb", "AcB"));
    }

    [Theory]
    [InlineData(@"^[\S]+$", "a\u00a0b", true)]
    [InlineData(@"^[\S]+$", "a b", false)]
    [InlineData(@"^[\W]+$", "\u00e9", true)]
    [InlineData(@"^[\W]+$", "_", false)]
    [InlineData(@"^[\D]+$", "x", true)]
    [InlineData(@"^[^\S]+$", "\u00a0", false)]
    public void Translate_NegatedEscapesInsideClasses_AsciiComplements(string pattern, string input, bool expected)
    {
        Assert.Equal(expected, Pcre(pattern, input));
    }

    [Fact]
    public void Translate_DotMatchesNewline()
    {
        Assert.True(Pcre("a.b", "a\nb"));
    }

    [Theory]
    [InlineData(@"(a)\1")]
    [InlineData(@"\Qa\E")]
    [InlineData("[[:alpha:]]")]
    public void Translate_UnsupportedConstructs_Refused(string pattern)
    {
        Assert.Throws<NotSupportedException>(() => PcrePattern.Translate(pattern));
    }

    [Fact]
    public void Compile_EveryCrsRegex_CompilesAfterTranslation()
    {
        var crs = CrsDirectoryLocator.Find();
        var patterns = Directory.GetFiles(Path.Combine(crs, "rules"), "*.conf")
            .SelectMany(DirectiveReader.ReadFile)
            .Where(d => d.Name == "SecRule")
            .Select(d => RuleSyntax.ParseOperator(d.Arguments[1]))
            .Where(o => o.Name == "rx")
            .Select(o => o.Parameter)
            .ToList();

        Assert.Equal(318, patterns.Count);
        Assert.All(patterns, p => PcrePattern.Compile(p, Timeout));
    }

    [Theory]
    [InlineData("(?is)caf\u00e9", "CAF\u00e9", true)]
    [InlineData("(?is)caf\u00e9", "caf\u00c9", false)] // bytes >= 0x80 never fold, also under (?is)
    [InlineData("(?si)a.b", "A\nB", true)]
    [InlineData("(?s)a.b", "a\nb", true)]
    public void Compile_CombinedInlineFlags_FoldAsciiOnly(string pattern, string input, bool expected)
    {
        Assert.Equal(expected, PcrePattern.Compile(pattern, TimeSpan.FromSeconds(1)).IsMatch(input));
    }
}
