using Portcullis.Waf.Operators.Matching;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// <c>@pm word1 word2 ...</c> and <c>@pmFromFile file ...</c>: case-insensitive phrase matching with one
/// Aho-Corasick automaton built at load time. With <c>capture</c>, TX:0 holds the phrase found.
/// <para>In a request phase its phrases also join the rule set's shared scan (<see cref="SharedMask"/>): a value the
/// scan found none of them in is answered without this automaton, and a rule whose values hold none is skipped
/// whole. Only a value holding one runs the automaton, for the phrase ModSecurity would report.</para>
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

    /// <summary>The phrases (ASCII lower case folding applies) this operator looks for.</summary>
    internal IReadOnlyList<string> Phrases => matcher.Phrases;

    /// <summary>The phrases' bits in the rule set's <see cref="Prefilter.LiteralScanner"/>, when they joined it.</summary>
    internal Prefilter.LiteralMask? SharedMask { get; set; }

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        if (SharedMask is { } mask && transaction.Rules.Literals is { } scanner
            && !mask.Any(transaction.LiteralHitsFor(scanner).For(input, scanner, out _)))
        {
            return false;
        }
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
