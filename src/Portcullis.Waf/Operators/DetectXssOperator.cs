using Portcullis.Waf.Detection;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Operators;

/// <summary><c>@detectXSS</c>: our cross-site-scripting detector (an HTML tokenizer looking for script contexts).</summary>
internal sealed class DetectXssOperator : Operator
{
    public override bool Evaluate(Transaction transaction, string input, bool capture) => XssDetector.IsXss(input);
}
