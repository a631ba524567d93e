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
    // other byte is class 0, which leads back to the root): one load per input char, no failure-link walking. States
    // are renumbered so that those where a literal ends come last: "is there a literal here?" is a comparison with
    // _firstTerminalState, not a second load. With fewer than 65,536 states entries are 16-bit, which halves the
    // table (CRS's 3,977 literals: 2.9 MiB instead of 5.8). Measured: memory halved, speed unchanged within the noise
    // (benign GET p25 224 vs 222 µs).
    // The table is stored by class, then by state (column after column): benign text spends its time in the shallow
    // states, which breadth-first numbering puts at the front, so the entries it reads sit together at the start of
    // each class's column instead of one per row spread over megabytes, and the next state is one add and one load
    // (_classBase[ch] + state) with no multiply on the chain of loads the scan waits on.
    private readonly int[] _classBase = new int[256];
    private readonly ushort[]? _narrow;
    private readonly int[]? _wide;
    private readonly int _firstTerminalState;
    private readonly int[] _terminal;

    // Per terminal state (indexed from _firstTerminalState), the first trie node at or above it on the failure chain
    // where a literal ends; per trie node, the next such node above that, or -1. Walking these lists finds every
    // literal ending at a position in as many steps as there are.
    private readonly int[] _terminalHead;
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
        LiteralLengths = [.. literals.Select(l => l.Length)];
        var classOf = new byte[256];
        var (_, childStart, childCount, childKeys, childTargets, fail, _) = builder.Build();
        _terminal = builder.Terminals();
        var classes = 1;
        foreach (var literal in literals)
        {
            foreach (var ch in literal)
            {
                var c = CType.ToLower(ch);
                if (classOf[c] == 0)
                {
                    if (classes == 256)
                    {
                        throw new ArgumentException("too many distinct characters", nameof(literals));
                    }
                    classOf[c] = (byte)classes++;
                }
            }
        }
        for (var c = 0; c < 256; c++)
        {
            classOf[c] = classOf[CType.ToLower((char)c)];
        }
        var nodes = fail.Length;
        var next = new int[nodes * classes];
        var firstTerminal = new int[nodes];
        _nextTerminal = new int[nodes];
        firstTerminal[Root] = -1;
        _nextTerminal[Root] = -1;
        // Breadth first, so a node's failure target (always shallower) is complete before the node.
        var order = new List<int>(nodes);
        var queue = new Queue<int>();
        queue.Enqueue(Root);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            order.Add(node);
            if (node != Root)
            {
                var f = fail[node];
                _nextTerminal[node] = firstTerminal[f];
                firstTerminal[node] = _terminal[node] >= 0 ? node : firstTerminal[f];
                Array.Copy(next, f * classes, next, node * classes, classes);
            }
            for (var i = childStart[node]; i < childStart[node] + childCount[node]; i++)
            {
                next[node * classes + classOf[childKeys[i]]] = childTargets[i];
                queue.Enqueue(childTargets[i]);
            }
        }
        // Renumber: states without a literal first, then the others, each group in breadth-first order (root is 0).
        var state = new int[nodes];
        var numbered = 0;
        foreach (var node in order.Where(n => firstTerminal[n] < 0))
        {
            state[node] = numbered++;
        }
        _firstTerminalState = numbered;
        _terminalHead = new int[nodes - numbered];
        foreach (var node in order.Where(n => firstTerminal[n] >= 0))
        {
            _terminalHead[numbered - _firstTerminalState] = firstTerminal[node];
            state[node] = numbered++;
        }
        if (nodes <= ushort.MaxValue + 1)
        {
            _narrow = new ushort[nodes * classes];
        }
        else
        {
            _wide = new int[nodes * classes];
        }
        for (var node = 0; node < nodes; node++)
        {
            for (var c = 0; c < classes; c++)
            {
                var target = state[next[node * classes + c]];
                var at = c * nodes + state[node];
                if (_narrow is not null)
                {
                    _narrow[at] = (ushort)target;
                }
                else
                {
                    _wide![at] = target;
                }
            }
        }
        for (var c = 0; c < 256; c++)
        {
            _classBase[c] = classOf[c] * nodes;
        }
    }

    public int LiteralCount { get; }

    /// <summary>Each literal's length, by id.</summary>
    public int[] LiteralLengths { get; }

    /// <summary>Length of the bit set a scan fills.</summary>
    public int Words => (LiteralCount + 63) / 64;

    /// <summary>Bytes the transition table takes (reported with the rule set's memory).</summary>
    public long TableBytes => _narrow is not null ? _narrow.Length * (long)sizeof(ushort) : _wide!.Length * (long)sizeof(int);

    /// <summary>
    /// Sets the bit of every literal that occurs in <paramref name="input"/> (the set must start cleared), and returns
    /// which characters it holds: the scan waits on one table load per char, so noting the char costs nothing.
    /// </summary>
    public CharMask Scan(ReadOnlySpan<char> input, Span<ulong> found)
    {
        int[] ids = [];
        var count = 0;
        return Scan(input, found, ref ids, ref count).Folded;
    }

    /// <summary>
    /// Like <see cref="Scan(ReadOnlySpan{char}, Span{ulong})"/>, and also appends each literal found to
    /// <paramref name="ids"/> (from <paramref name="count"/>, growing it) the first time its bit is set: a benign value
    /// holds a handful of the thousands of literals, and reading them from the list instead of sweeping the whole bit
    /// set afterwards saved ~5 % of a benign GET (profile loop, min 193 -> 184 µs). The characters come back exact
    /// (not case-folded): a pipeline's scan of a selection reuses this one for a value made only of characters the
    /// pipeline leaves alone (<see cref="Transactions.SelectionLiterals"/>).
    /// </summary>
    public AsciiChars Scan(ReadOnlySpan<char> input, Span<ulong> found, ref int[] ids, ref int count) =>
        _narrow is not null ? Scan(_narrow, input, found, ref ids, ref count) : Scan(_wide!, input, found, ref ids, ref count);

    /// <summary>
    /// <see cref="Scan(ReadOnlySpan{char}, Span{ulong}, ref int[], ref int)"/> with a scratch bit set that is all zero
    /// before and after: only the ids appended to <paramref name="ids"/> are the result (clearing the bits of the ids
    /// found restores the set, without sweeping it).
    /// </summary>
    public AsciiChars ScanIds(ReadOnlySpan<char> input, Span<ulong> scratch, ref int[] ids, ref int count)
    {
        var start = count;
        var chars = Scan(input, scratch, ref ids, ref count);
        foreach (var id in ids.AsSpan(start, count - start))
        {
            scratch[id >> 6] = 0;
        }
        return chars;
    }

    private AsciiChars Scan<T>(T[] table, ReadOnlySpan<char> input, Span<ulong> found, ref int[] ids, ref int count)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var classBase = _classBase;
        var firstTerminal = _firstTerminalState;
        var state = Root;
        ulong low = 0, high = 0;
        var other = false;
        foreach (var ch in input)
        {
            if (ch < 128)
            {
                // Without a branch on which word the char's bit goes to: letters, digits and punctuation alternate in
                // text, so that branch was mispredicted on a good share of the chars.
                var bit = 1UL << (ch & 63);
                var below64 = (ulong)((long)ch - 64 >> 63);
                low |= bit & below64;
                high |= bit & ~below64;
            }
            else
            {
                other = true;
                if (ch > 0xFF)
                {
                    state = Root;
                    continue;
                }
            }
            state = int.CreateTruncating(table[classBase[ch] + state]);
            if (state < firstTerminal)
            {
                continue;
            }
            for (var node = _terminalHead[state - firstTerminal]; node >= 0; node = _nextTerminal[node])
            {
                var id = _terminal[node];
                var bit = 1UL << (id & 63);
                ref var word = ref found[id >> 6];
                if ((word & bit) != 0)
                {
                    continue;
                }
                word |= bit;
                if (count == ids.Length)
                {
                    Array.Resize(ref ids, Math.Max(16, ids.Length * 2));
                }
                ids[count++] = id;
            }
        }
        return new AsciiChars(low, high, other);
    }
}
