using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Applies a rule's transformations to a value, in order. Not memoized yet: a value shared by many rules with the
/// same pipeline is transformed again for each (the speed work of the next issue).
/// </summary>
internal static class TransformationPipeline
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
