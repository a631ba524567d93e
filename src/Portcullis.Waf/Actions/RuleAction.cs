using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Actions;

/// <summary>A non-disruptive action that changes the transaction when its rule matches (setvar, ctl, initcol).</summary>
internal abstract class RuleAction
{
    public abstract void Execute(Transaction transaction, Rule rule);
}
