using System.Text;
using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Operators.Matching;

/// <summary>
/// The <c>@pmFromFile</c> data file format, as ModSecurity v2 reads it: one phrase per line, each line run through
/// <see cref="PhraseContent"/> (escapes, <c>|hex|</c>) and trimmed of C-locale whitespace at both ends (which also
/// removes a CR); blank lines and lines whose first non-blank char is <c>#</c> are skipped. Bytes are read as
/// Latin-1, so UTF-8 phrases stay byte sequences.
/// </summary>
internal static class PhraseFile
{
    public static IReadOnlyList<string> Read(string path) => Parse(Encoding.Latin1.GetString(File.ReadAllBytes(path)));

    public static IReadOnlyList<string> Parse(string content)
    {
        var phrases = new List<string>();
        foreach (var rawLine in content.Split('\n'))
        {
            var line = PhraseContent.Parse(rawLine, stripQuotes: false);
            var phrase = CTrim.Apply(line, left: true, right: true);
            if (phrase.Length == 0 || phrase[0] == '#')
            {
                continue;
            }
            phrases.Add(phrase);
        }
        return phrases;
    }
}
