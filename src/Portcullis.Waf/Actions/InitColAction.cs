using Portcullis.Waf.Macros;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Actions;

/// <summary>
/// <c>initcol:ip=%{remote_addr}</c>: opens a collection other than TX for the transaction. Collections live for the
/// transaction only — persistence across requests (ModSecurity's SDBM store) is not implemented; CRS 4 only opens
/// them and never relies on their contents.
/// </summary>
internal sealed class InitColAction : RuleAction
{
    private readonly VariableName _collection;
    private readonly MacroText _key;

    private InitColAction(VariableName collection, MacroText key)
    {
        _collection = collection;
        _key = key;
    }

    public static InitColAction Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new FormatException($"initcol needs collection=key, got '{text}'");
        }
        var name = text[..equals].Trim();
        if (!VariableRegistry.TryGet(name, out var collection)
            || collection is not (VariableName.Ip or VariableName.Global or VariableName.Session or VariableName.User or VariableName.Resource))
        {
            throw new FormatException($"initcol opens IP, GLOBAL, SESSION, USER or RESOURCE, not '{name}'");
        }
        return new InitColAction(collection.Value, MacroText.Parse(text[(equals + 1)..].Trim()));
    }

    public override void Execute(Transaction transaction, Rule rule)
    {
        var collection = transaction.Variables.Collection(_collection);
        if (collection.Get("KEY") is null)
        {
            collection.Set("KEY", _key.Expand(transaction));
        }
    }
}
