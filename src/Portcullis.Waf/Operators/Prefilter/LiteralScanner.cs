using Portcullis.Waf.Operators.Matching;
using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Operators.Prefilter;

/// <summary>
/// Every required literal of a rule set's <c>@rx</c> prefilters in one Aho-Corasick automaton, so a value is scanned
/// once for all of them instead of once per rule: a scan sets one bit per literal found, and each rule's prefilter
/// then asks whether any of its literals' bits is set (<see cref="LiteralMask"/>). ASCII case-insensitive, like the
/// prefilters it stands in for (only prefilters whose literals are all ASCII are included).
/// </summary>
internal sealed class LiteralScanner
{
    private const int Root = 0;

    // A full transition table over character classes (each folded byte that occurs in some literal is a class, every
    // other byte is class 0, which leads back to the root): one load per input char, no failure-link walking. Entries
    // are the target's row offset (node * classes), bitwise complemented when a literal ends at the target, so the
    // scan loop does one load and no multiplication per char, and looks at terminals only where there are some.
    private readonly byte[] _classOf = new byte[256];
    private readonly int _classes;
    private readonly int[] _next;
    private readonly int[] _terminal;

    // Per node, the first node at or above it on the failure chain where a literal ends, or -1; then the next such
    // node above that. Walking these lists every literal ending at a position in as many steps as there are.
    private readonly int[] _firstTerminal;
    private readonly int[] _nextTerminal;

    public LiteralScanner(IReadOnlyList<string> literals)
    {
        var builder = new PhraseTrieBuilder();
        foreach (var literal in literals)
        {
            builder.Add(literal);
        }
        if (builder.Phrases.Count != literals.Count)
        {
            throw new ArgumentException("literals must be distinct after ASCII case folding", nameof(literals));
        }
        LiteralCount = literals.Count;
        var (_, childStart, childCount, childKeys, childTargets, fail, _) = builder.Build();
        _terminal = builder.Terminals();
        var classes = 1;
        foreach (var literal in literals)
        {
            foreach (var ch in literal)
            {
                var c = CType.ToLower(ch);
                if (_classOf[c] == 0)
                {
                    if (classes == 256)
                    {
                        throw new ArgumentException("too many distinct characters", nameof(literals));
                    }
                    _classOf[c] = (byte)classes++;
                }
            }
        }
        for (var c = 0; c < 256; c++)
        {
            _classOf[c] = _classOf[CType.ToLower((char)c)];
        }
        _classes = classes;
        var nodes = fail.Length;
        _next = new int[nodes * classes];
        _firstTerminal = new int[nodes];
        _nextTerminal = new int[nodes];
        _firstTerminal[Root] = -1;
        _nextTerminal[Root] = -1;
        // Breadth first, so a node's failure target (always shallower) is complete before the node.
        var queue = new Queue<int>();
        queue.Enqueue(Root);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (node != Root)
            {
                var f = fail[node];
                _nextTerminal[node] = _firstTerminal[f];
                _firstTerminal[node] = _terminal[node] >= 0 ? node : _firstTerminal[f];
                Array.Copy(_next, f * classes, _next, node * classes, classes);
            }
            for (var i = childStart[node]; i < childStart[node] + childCount[node]; i++)
            {
                _next[node * classes + _classOf[childKeys[i]]] = childTargets[i];
                queue.Enqueue(childTargets[i]);
            }
        }
        for (var i = 0; i < _next.Length; i++)
        {
            var target = _next[i];
            _next[i] = _firstTerminal[target] >= 0 ? ~(target * classes) : target * classes;
        }
    }

    public int LiteralCount { get; }

    /// <summary>Length of the bit set a scan fills.</summary>
    public int Words => (LiteralCount + 63) / 64;

    /// <summary>Bytes the transition table takes (reported with the rule set's memory).</summary>
    public long TableBytes => _next.Length * (long)sizeof(int);

    /// <summary>Sets the bit of every literal that occurs in <paramref name="input"/> (the set must start cleared).</summary>
    public void Scan(ReadOnlySpan<char> input, Span<ulong> found)
    {
        var next = _next;
        var classOf = _classOf;
        var row = Root;
        foreach (var ch in input)
        {
            if (ch > 0xFF)
            {
                row = Root;
                continue;
            }
            row = next[row + classOf[ch]];
            if (row >= 0)
            {
                continue;
            }
            row = ~row;
            for (var node = _firstTerminal[row / _classes]; node >= 0; node = _nextTerminal[node])
            {
                var id = _terminal[node];
                found[id >> 6] |= 1UL << (id & 63);
            }
        }
    }
}
