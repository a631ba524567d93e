using Portcullis.Waf.Detection;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary><c>@detectXSS</c>: our cross-site-scripting detector (an HTML tokenizer looking for script contexts).</summary>
internal sealed class DetectXssOperator : Operator
{
    /// <summary>What every value the detector flags holds (<see cref="XssDetector.Triggers"/>): a list whose values
    /// together hold neither character skips the rule whole.</summary>
    internal static Prefilter.CharRequirement Chars { get; } = Prefilter.CharRequirement.AnyOf(XssDetector.Triggers);

    public override bool Evaluate(Transaction transaction, string input, bool capture) => XssDetector.IsXss(input);
}
