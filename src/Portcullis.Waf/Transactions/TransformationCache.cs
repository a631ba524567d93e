using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Applies a rule's transformation pipeline to a value. (Memoization per transaction comes with the speed work.)
/// </summary>
internal static class TransformationCache
{
    public static string Apply(Transaction tx, Transformation[] pipeline, VariableValue value)
    {
        var current = value.Value;
        foreach (var transformation in pipeline)
        {
            current = transformation.Apply(current);
        }
        return current;
    }
}
