using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Applies a rule's transformations to a value, in order, once per transaction for each value and pipeline
/// (<see cref="TransformationCache"/>).
/// </summary>
internal static class TransformationPipeline
{
    public static string Apply(Transaction tx, Transformation[] pipeline, VariableValue value) =>
        pipeline.Length == 0 ? value.Value : tx.Transformations.Apply(value.Value, pipeline);

    /// <summary>The same, answering "unchanged" without a cache lookup for values made only of <paramref name="unchangedBy"/> (<see cref="UnchangedValues"/>).</summary>
    public static string Apply(Transaction tx, Transformation[] pipeline, System.Buffers.SearchValues<char>? unchangedBy, VariableValue value) =>
        unchangedBy is not null && UnchangedValues.Holds(unchangedBy, value.Value) ? value.Value : Apply(tx, pipeline, value);
}
