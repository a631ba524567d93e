using Portcullis.Waf.Operators.Matching;

namespace Portcullis.Waf.Tests.Operators.Matching;

public sealed class PhraseFileTests
{
    private static string DataFile(string name) => Path.Combine(CrsDirectoryLocator.Find(), "rules", name);

    [Fact]
    public void Parse_Lines_SkipsCommentsAndBlanksAndTrims()
    {
        var phrases = PhraseFile.Parse("# comment\n\n  alpha  \r\n\t# indented comment\nbeta\r\n   \ngamma delta\nlast");
        Assert.Equal(["alpha", "beta", "gamma delta", "last"], phrases);
    }

    [Theory]
    [InlineData("FFI\\\\CData", "FFI\\CData")] // Supported escape.
    [InlineData("gd2: EOF while reading\\n", "gd2: EOF while reading\\n")] // Unsupported escape: line kept raw.
    [InlineData("must be of type string|int|float|bool|null", "must be of type string|int|float|bool|null")]
    [InlineData("x|0d 0a|y", "x\r\ny")]
    [InlineData("\"quoted\"", "\"quoted\"")] // File lines keep their quotes.
    public void Parse_Line_HandlesEscapesAsModSecurity(string line, string phrase) =>
        Assert.Equal([phrase], PhraseFile.Parse(line + "\n"));

    public static TheoryData<string, string, string> KnownPhrases => new()
    {
        { "unix-shell.data", "x=;/usr/bin/wget http://x", "bin/w" },
        { "lfi-os-files.data", "../../etc/passwd", "etc/passwd" },
        { "restricted-files.data", "/.git/config", ".git/" },
        { "scanners-user-agents.data", "Mozilla/5.0 sqlmap/1.7", "sqlmap" },
        { "php-errors.data", "<b>FFI\\CData</b>", "FFI\\CData" }, // The file writes FFI\\CData; the escape is decoded.
        { "java-classes.data", "x=java.lang.Runtime", "java.lang.runtime" },
    };

    [Theory]
    [MemberData(nameof(KnownPhrases))]
    public void Read_CrsDataFile_MatchesKnownPhrase(string file, string input, string expectedPhrasePart)
    {
        var matcher = new PhraseMatcher(PhraseFile.Read(DataFile(file)));
        Assert.True(matcher.TryMatch(input, out var phrase));
        Assert.Contains(expectedPhrasePart, phrase, StringComparison.OrdinalIgnoreCase);
        Assert.False(matcher.TryMatch("zzzz", out _));
    }

    [Fact]
    public void Read_EveryCrsDataFile_LoadsPhrasesWithoutComments()
    {
        var files = Directory.GetFiles(Path.Combine(CrsDirectoryLocator.Find(), "rules"), "*.data");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var phrases = PhraseFile.Read(file);
            Assert.NotEmpty(phrases);
            Assert.All(phrases, p =>
            {
                Assert.False(p.StartsWith('#'), $"{file}: comment loaded as phrase");
                Assert.Equal(p.Trim(), p);
                Assert.All(p, c => Assert.True(c <= 0xFF));
            });
            var matcher = new PhraseMatcher(phrases);
            // Every phrase must find itself.
            foreach (var phrase in phrases)
            {
                Assert.True(matcher.TryMatch(phrase, out _), $"{Path.GetFileName(file)}: '{phrase}' not found");
            }
        }
    }
}
