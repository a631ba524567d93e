using System.Text;
using Portcullis.Waf.SecLang;
using Portcullis.Waf.Transactions;
using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Macros;

/// <summary>
/// Text with <c>%{VARIABLE}</c> / <c>%{COLLECTION.key}</c> references, expanded per transaction (ModSecurity v2
/// macro expansion): names are case-insensitive, a missing variable expands to the empty string, and
/// <c>%{rule.id}</c>-style references read the rule being evaluated. Parsed once at load time.
/// </summary>
internal sealed class MacroText
{
    // A message with a long MATCHED_VAR must not keep a large builder alive on the thread.
    private const int MaxKeptBuilderCapacity = 4096;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    private readonly Segment[] _segments;

    private MacroText(string text, Segment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    /// <summary>True when the text holds at least one reference (otherwise <see cref="Expand"/> returns <see cref="Text"/>).</summary>
    public bool HasMacros => _segments.Length != 1 || _segments[0].Literal is null;

    /// <summary>What the text reads (<c>(TX, "score")</c> for <c>%{tx.score}</c>), in order.</summary>
    public IEnumerable<(VariableName Variable, string? Key)> References =>
        _segments.Where(s => s.Variable is not null).Select(s => (s.Variable!.Value, s.Key));

    /// <summary>The text before the first reference (all of it without one).</summary>
    public string LiteralPrefix => _segments[0].Literal ?? "";

    public static MacroText Parse(string text)
    {
        var segments = new List<Segment>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("%{", i, StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf('}', open + 2);
            if (open < 0 || close < 0)
            {
                literal.Append(text, i, text.Length - i);
                break;
            }
            literal.Append(text, i, open - i);
            var reference = text[(open + 2)..close].Trim();
            if (reference.Length == 0)
            {
                literal.Append(text, open, close + 1 - open);
            }
            else
            {
                if (literal.Length > 0)
                {
                    segments.Add(new Segment(literal.ToString(), null, null, null));
                    literal.Clear();
                }
                segments.Add(ParseReference(reference));
            }
            i = close + 1;
        }
        if (literal.Length > 0 || segments.Count == 0)
        {
            segments.Add(new Segment(literal.ToString(), null, null, null));
        }
        return new MacroText(text, [.. segments]);
    }

    private static Segment ParseReference(string reference)
    {
        var dot = reference.IndexOf('.', StringComparison.Ordinal);
        var name = dot < 0 ? reference : reference[..dot];
        var key = dot < 0 ? null : reference[(dot + 1)..];
        if (!VariableRegistry.TryGet(name, out var variable))
        {
            throw new FormatException($"unknown variable '{name}' in macro %{{{reference}}}");
        }
        return new Segment(null, variable.Value, key, reference);
    }

    public string Expand(Transaction transaction)
    {
        if (!HasMacros)
        {
            return Text;
        }
        if (_segments.Length == 1)
        {
            return Resolve(_segments[0], transaction);
        }
        if (_segments.Length == 2)
        {
            // CRS's setvar names (tx.header_name_920450_%{tx.0}, per header on every request): one concatenation.
            return string.Concat(Part(_segments[0], transaction), Part(_segments[1], transaction));
        }
        if (_segments.Length == 3)
        {
            return string.Concat(Part(_segments[0], transaction), Part(_segments[1], transaction), Part(_segments[2], transaction));
        }
        var builder = t_builder ??= new StringBuilder();
        builder.Clear();
        foreach (var segment in _segments)
        {
            builder.Append(Part(segment, transaction));
        }
        var text = builder.ToString();
        if (builder.Capacity > MaxKeptBuilderCapacity)
        {
            t_builder = null;
        }
        return text;
    }

    private static string Part(Segment segment, Transaction transaction) => segment.Literal ?? Resolve(segment, transaction);

    private static string Resolve(Segment segment, Transaction transaction) =>
        transaction.ResolveMacro(segment.Variable!.Value, segment.Key) ?? "";

    public override string ToString() => Text;

    private sealed record Segment(string? Literal, VariableName? Variable, string? Key, string? Reference);
}
