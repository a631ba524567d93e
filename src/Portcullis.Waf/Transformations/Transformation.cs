namespace Portcullis.Waf.Transformations;

/// <summary>
/// A SecLang transformation function (<c>t:name</c>). Values are byte strings: every char is one byte 0x00–0xFF
/// (Latin-1 mapping of the raw bytes, notes/waf.md §2), in and out. Implementations are stateless singletons, safe to
/// share between threads, and return the same instance when nothing changes so callers can detect "no change" by
/// reference (ModSecurity's <c>changed</c> flag).
/// </summary>
internal abstract class Transformation
{
    protected Transformation()
    {
        Alone = [this];
    }

    /// <summary>
    /// This step alone as a pipeline: the key under which a transaction's <see cref="Transactions.TransformationCache"/>
    /// keeps its outputs when the engine runs a pipeline step by step (multiMatch).
    /// </summary>
    public Transformation[] Alone { get; }

    /// <summary>The SecLang name, e.g. <c>urlDecodeUni</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Transforms a Latin-1 byte string; returns <paramref name="input"/> itself when nothing changes.</summary>
    public abstract string Apply(string input);

    /// <summary>
    /// The ASCII characters without which <see cref="Apply"/> returns its input unchanged (bytes ≥ 0x80 always count
    /// as possible triggers); null when the transformation does not say (then nothing is assumed). Lets the engine skip
    /// a whole pipeline for a value made only of other characters, the common case for benign values
    /// (<see cref="UnchangedValues"/>). <c>TransformationTriggerTests</c> checks each declaration.
    /// </summary>
    public virtual string? Triggers => null;

    /// <summary>
    /// True when, for a value whose triggers are only A-Z, the one thing <see cref="Apply"/> does is lowercase them
    /// (<c>lowercase</c>, <c>cmdLine</c>). The literal scan ignores ASCII case, so such a value scans the same before
    /// and after: the engine reuses the untransformed value's scan and transforms it only for a rule that must look
    /// (<see cref="UnchangedValues.For"/>). <c>TransformationTriggerTests</c> checks each declaration.
    /// </summary>
    public virtual bool FoldsCaseOnly => false;

    /// <summary>
    /// True when <see cref="Apply"/> never returns a string longer than its input (the decoders, the whitespace and
    /// comment removers, the case folds). Below a chain of such steps a value too short for any literal a rule there
    /// needs stays too short, and is not transformed to find out (<see cref="Rules.LiteralDispatch.PruneBelow"/>).
    /// <c>TransformationLengthTests</c> checks each declaration.
    /// </summary>
    public virtual bool NeverLengthens => false;

    /// <summary>The longest <see cref="Apply"/> may return for <paramref name="input"/>, told without transforming it:
    /// the input's length for a step that <see cref="NeverLengthens"/>, less where the step knows better.</summary>
    public virtual int OutputLengthBound(string input) => NeverLengthens ? input.Length : int.MaxValue;

    public override string ToString() => Name;
}
