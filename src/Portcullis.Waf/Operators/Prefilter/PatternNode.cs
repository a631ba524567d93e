namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// A pattern parsed only as far as the literal analysis needs: which bytes each position may hold and how positions
/// combine. Captures, laziness and flags are gone because they never change which strings a pattern can match
/// (case-insensitivity is handled by analysing everything folded to lowercase).
/// </summary>
internal abstract record PatternNode;

/// <summary>One byte out of <paramref name="Bytes"/> (a literal, a class, an escape such as <c>\d</c>, or <c>.</c>).</summary>
internal sealed record ByteNode(ByteClass Bytes) : PatternNode;

/// <summary>A zero-width item: anchors, <c>\b</c>, inline flags, look-arounds. It only narrows where a match may sit,
/// so treating it as the empty string describes a superset of the matches, which keeps the analysis sound.</summary>
internal sealed record EmptyNode : PatternNode
{
    public static EmptyNode Instance { get; } = new();
}

internal sealed record SequenceNode(IReadOnlyList<PatternNode> Items) : PatternNode;

internal sealed record AlternationNode(IReadOnlyList<PatternNode> Branches) : PatternNode;

/// <summary><c>X{Min,Max}</c>; <paramref name="Max"/> is null for an unbounded repeat (<c>*</c>, <c>+</c>, <c>{n,}</c>).</summary>
internal sealed record RepeatNode(PatternNode Item, int Min, int? Max) : PatternNode;
