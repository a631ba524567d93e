using System.Collections.Frozen;

namespace Portcullis.Waf.Operators;

/// <summary>
/// Every operator by its SecLang name (case-insensitive), in one list; an unknown name is a load error, never a
/// silently ignored rule.
/// </summary>
internal static class OperatorRegistry
{
    private static readonly FrozenDictionary<string, Func<string, OperatorContext, Operator>> Factories = Build(
    [
        ("rx", static (p, c) => new RxOperator(p, c)),
        ("eq", static (p, _) => new NumericOperator(p, static (a, b) => a == b)),
        ("ge", static (p, _) => new NumericOperator(p, static (a, b) => a >= b)),
        ("gt", static (p, _) => new NumericOperator(p, static (a, b) => a > b)),
        ("le", static (p, _) => new NumericOperator(p, static (a, b) => a <= b)),
        ("lt", static (p, _) => new NumericOperator(p, static (a, b) => a < b)),
        ("streq", static (p, _) => StringOperator.StrEq(p)),
        ("contains", static (p, _) => StringOperator.Contains(p)),
        ("beginsWith", static (p, _) => StringOperator.BeginsWith(p)),
        ("endsWith", static (p, _) => StringOperator.EndsWith(p)),
        ("within", static (p, _) => StringOperator.Within(p)),
        ("unconditionalMatch", static (_, _) => new ConstantOperator(true)),
        ("noMatch", static (_, _) => new ConstantOperator(false)),
        ("pm", static (p, _) => PmOperator.FromParameter(p)),
        ("pmFromFile", static (p, c) => PmOperator.FromFiles(p, c)),
        ("pmf", static (p, c) => PmOperator.FromFiles(p, c)),
        ("ipMatch", static (p, _) => new IpMatchOperator(p)),
        ("validateByteRange", static (p, _) => new ValidateByteRangeOperator(p)),
        ("validateUrlEncoding", static (_, _) => new ValidateUrlEncodingOperator()),
        ("validateUtf8Encoding", static (_, _) => new ValidateUtf8EncodingOperator()),
        ("detectSQLi", static (_, _) => new DetectSqliOperator()),
        ("detectXSS", static (_, _) => new DetectXssOperator()),
    ]);

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>Builds the operator; throws <see cref="FormatException"/> for an unknown name or a bad parameter.</summary>
    public static Operator Create(string name, string parameter, OperatorContext context) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(parameter, context)
            : throw new FormatException($"unknown operator '@{name}'; supported: {string.Join(", ", Factories.Keys.Order().Select(n => "@" + n))}");

    private static FrozenDictionary<string, Func<string, OperatorContext, Operator>> Build(
        (string Name, Func<string, OperatorContext, Operator> Factory)[] entries)
    {
        var map = new Dictionary<string, Func<string, OperatorContext, Operator>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, factory) in entries)
        {
            if (!map.TryAdd(name, factory))
            {
                throw new InvalidOperationException($"operator '{name}' registered twice");
            }
        }
        return map.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
