using System.Globalization;
using Portcullis.Waf.Macros;
using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Actions;

/// <summary>
/// <c>setvar:tx.name=value</c>, <c>=+N</c>, <c>=-N</c>, <c>!tx.name</c> (delete), <c>tx.name</c> (set to 1).
/// Names and values may hold macros. Arithmetic reads the old value as ModSecurity does (atoi: a leading integer,
/// anything else counts as 0).
/// </summary>
internal sealed class SetVarAction : RuleAction
{
    private readonly VariableName _collection;
    private readonly MacroText _name;
    private readonly MacroText _value;
    private readonly SetVarOperation _operation;

    private SetVarAction(VariableName collection, MacroText name, MacroText value, SetVarOperation operation)
    {
        _collection = collection;
        _name = name;
        _value = value;
        _operation = operation;
    }

    /// <summary>The collection written (TX, IP, ...).</summary>
    public VariableName Collection => _collection;

    /// <summary>The variable's name, with its macros.</summary>
    public MacroText Name => _name;

    /// <summary>The value or operand, with its macros.</summary>
    public MacroText Value => _value;

    public static SetVarAction Parse(string text)
    {
        var delete = text.StartsWith('!');
        var body = delete ? text[1..] : text;
        var dot = body.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            throw new FormatException($"setvar needs COLLECTION.name, got '{text}'");
        }
        var collectionName = body[..dot];
        if (!VariableRegistry.TryGet(collectionName, out var collection)
            || collection is not (VariableName.Tx or VariableName.Ip or VariableName.Global or VariableName.Session or VariableName.User or VariableName.Resource))
        {
            throw new FormatException($"setvar can only write TX, IP, GLOBAL, SESSION, USER or RESOURCE, not '{collectionName}'");
        }
        var rest = body[(dot + 1)..];
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? rest : rest[..equals];
        var value = equals < 0 ? "1" : rest[(equals + 1)..];
        var operation = delete ? SetVarOperation.Delete : SetVarOperation.Set;
        if (!delete && equals >= 0 && value.Length > 0 && value[0] is '+' or '-')
        {
            operation = value[0] == '+' ? SetVarOperation.Add : SetVarOperation.Subtract;
            value = value[1..];
        }
        if (name.Trim().Length == 0)
        {
            throw new FormatException($"setvar has an empty variable name in '{text}'");
        }
        return new SetVarAction(collection.Value, MacroText.Parse(name.Trim()), MacroText.Parse(value), operation);
    }

    public override void Execute(Transaction transaction, Rule rule)
    {
        var collection = transaction.Variables.Collection(_collection);
        var name = _name.Expand(transaction);
        switch (_operation)
        {
            case SetVarOperation.Delete:
                collection.Remove(name);
                return;
            case SetVarOperation.Set:
                collection.Set(name, _value.Expand(transaction));
                return;
            default:
                var current = Numbers.ParseLeadingInteger(collection.Get(name));
                var delta = Numbers.ParseLeadingInteger(_value.Expand(transaction));
                var result = _operation == SetVarOperation.Add ? current + delta : current - delta;
                collection.Set(name, result.ToString(CultureInfo.InvariantCulture));
                return;
        }
    }

    private enum SetVarOperation
    {
        Set,
        Add,
        Subtract,
        Delete,
    }
}
