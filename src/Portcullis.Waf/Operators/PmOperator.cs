using Portcullis.Waf.Operators.Matching;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// <c>@pm word1 word2 ...</c> and <c>@pmFromFile file ...</c>: case-insensitive phrase matching with one
/// Aho-Corasick automaton built at load time. With <c>capture</c>, TX:0 holds the phrase found.
/// </summary>
internal sealed class PmOperator(PhraseMatcher matcher) : Operator
{
    public static PmOperator FromParameter(string parameter) => new(PhraseMatcher.FromParameter(parameter));

    public static PmOperator FromFiles(string parameter, OperatorContext context)
    {
        var phrases = new List<string>();
        foreach (var file in parameter.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.IsPathRooted(file) ? file : Path.Combine(context.RuleFileDirectory, file);
            if (!File.Exists(path))
            {
                throw new FormatException($"@pmFromFile: file '{path}' does not exist");
            }
            phrases.AddRange(PhraseFile.Read(path));
        }
        return new PmOperator(new PhraseMatcher(phrases));
    }

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        if (!matcher.TryMatch(input, out var phrase))
        {
            return false;
        }
        if (capture)
        {
            transaction.SetCapture(0, phrase);
        }
        return true;
    }
}
