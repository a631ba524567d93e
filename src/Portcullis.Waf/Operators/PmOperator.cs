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

    /// <summary>True when some phrases hold a character above 0x7F and are not in <see cref="SharedMask"/> (CRS's
    /// SSRF list spells addresses in full-width and circled digits): a value may hold one of those only when it holds
    /// such a character itself, since case folding stops at ASCII.</summary>
    internal bool NonAsciiLeftOut { get; private set; }

    /// <summary>Joins a shared scan with <paramref name="mask"/>, the bits of its ASCII phrases; with
    /// <paramref name="nonAsciiLeftOut"/>, the others were left out of it.</summary>
    internal void Share(Prefilter.LiteralScanner scanner, Prefilter.LiteralMask mask, bool nonAsciiLeftOut = false) =>
        (SharedScanner, SharedMask, NonAsciiLeftOut) = (scanner, mask, nonAsciiLeftOut);

    /// <summary><see cref="SharedMask"/> when the phrases joined <paramref name="scanner"/>, else null.</summary>
    internal Prefilter.LiteralMask? MaskIn(Prefilter.LiteralScanner? scanner) => ReferenceEquals(SharedScanner, scanner) ? SharedMask : null;

    /// <summary>False when a value scanned with <paramref name="found"/> (literal ids of the shared scan) and
    /// <paramref name="chars"/> holds no phrase.</summary>
    internal bool MayMatchScan(Prefilter.LiteralMask mask, ReadOnlySpan<int> found, Prefilter.AsciiChars chars) =>
        mask.Any(found) || MayHoldLeftOut(chars.HasOther);

    /// <summary>True when text holding (<paramref name="nonAscii"/>) a character above 0x7F may hold one of the phrases
    /// left out of the shared scan (<see cref="NonAsciiLeftOut"/>).</summary>
    internal bool MayHoldLeftOut(bool nonAscii) => NonAsciiLeftOut && nonAscii;

    public override bool Evaluate(Transaction transaction, string input, bool capture)
    {
        if (SharedMask is { } mask && SharedScanner is { } scanner
            && !MayMatchScan(mask, transaction.LiteralHitsFor(scanner).For(input, scanner, out var chars), chars))
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
