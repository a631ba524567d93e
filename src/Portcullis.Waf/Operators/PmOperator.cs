using Portcullis.Waf.Operators.Matching;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary>
/// <c>@pm word1 word2 ...</c> and <c>@pmFromFile file ...</c>: case-insensitive phrase matching with one
/// Aho-Corasick automaton built at load time. With <c>capture</c>, TX:0 holds the phrase found.
/// <para>Its phrases also join a scan shared with other operators (<see cref="SharedScanner"/>; in a request phase the
/// rule set's literal scan, in a response phase the response lists' scan): a value the scan found none of them in is
/// answered without this automaton, and in a request phase a rule whose values hold none is skipped whole. Only a value
/// holding one runs the automaton, for the phrase ModSecurity would report.</para>
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

    /// <summary>The phrases' bits in <see cref="SharedScanner"/>, when they joined one.</summary>
    internal Prefilter.LiteralMask? SharedMask { get; private set; }

    /// <summary>The shared scan the phrases joined: the rule set's <see cref="Rules.RuleSet.Literals"/> (request phases)
    /// or its <see cref="Rules.RuleSet.ResponsePhrases"/>.</summary>
    internal Prefilter.LiteralScanner? SharedScanner { get; private set; }

    internal void Share(Prefilter.LiteralScanner scanner, Prefilter.LiteralMask mask) => (SharedScanner, SharedMask) = (scanner, mask);

    /// <summary><see cref="SharedMask"/> when the phrases joined <paramref name="scanner"/>, else null.</summary>
    internal Prefilter.LiteralMask? MaskIn(Prefilter.LiteralScanner? scanner) => ReferenceEquals(SharedScanner, scanner) ? SharedMask : null;

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        if (SharedMask is { } mask && SharedScanner is { } scanner
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
