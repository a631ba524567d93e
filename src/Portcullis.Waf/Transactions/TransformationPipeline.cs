using System.Buffers;
using Portcullis.Waf.Transformations;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// Applies a rule's transformations to a value, in order, once per transaction for each value and pipeline
/// (<see cref="TransformationCache"/>); a value made only of <c>unchangedBy</c> characters is the answer itself, with no
/// cache lookup (<see cref="UnchangedValues"/>).
/// </summary>
internal static class TransformationPipeline
{
    public static string Apply(Transaction tx, Transformation[] pipeline, UnchangedChars? unchangedBy, VariableValue value) =>
        Apply(tx, pipeline, unchangedBy, value.Value);

    public static string Apply(Transaction tx, Transformation[] pipeline, UnchangedChars? unchangedBy, string value) =>
        pipeline.Length == 0 || (unchangedBy is not null && UnchangedValues.Holds(unchangedBy.Values, value))
            ? value
            : tx.Transformations.Apply(value, pipeline);
}
