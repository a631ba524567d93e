using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Operators.Matching;

/// <summary>
/// Builds <see cref="PhraseMatcher"/>'s arrays: a trie over case-folded phrases, breadth-first failure links, and for
/// each node the phrase to report there (its own, else the nearest one along its failure chain).
/// </summary>
internal sealed class PhraseTrieBuilder
{
    private readonly List<Dictionary<char, int>> _children = [new()];
    private readonly List<int> _terminal = [-1];

    public List<string> Phrases { get; } = [];

    public void Add(string phrase)
    {
        if (phrase.Length == 0)
        {
            return;
        }
        var node = 0;
        foreach (var ch in phrase)
        {
            if (ch > 0xFF)
            {
                throw new ArgumentException($"Phrase '{phrase}' holds a char above 0xFF; phrases are byte strings.",
                    nameof(phrase));
            }
            var c = CType.ToLower(ch);
            if (!_children[node].TryGetValue(c, out var next))
            {
                next = _children.Count;
                _children.Add([]);
                _terminal.Add(-1);
                _children[node][c] = next;
            }
            node = next;
        }
        if (_terminal[node] < 0)
        {
            _terminal[node] = Phrases.Count;
            Phrases.Add(phrase); // The first spelling of a case-folded duplicate is the one reported.
        }
    }

    /// <summary>Per node, the index in <see cref="Phrases"/> of the phrase ending exactly there, or -1.</summary>
    public int[] Terminals() => [.. _terminal];

    public (int[] RootNext, int[] ChildStart, int[] ChildCount, char[] ChildKeys, int[] ChildTargets, int[] Fail,
        int[] Output) Build()
    {
        var nodeCount = _children.Count;
        var childStart = new int[nodeCount];
        var childCount = new int[nodeCount];
        var keys = new char[nodeCount - 1];
        var targets = new int[nodeCount - 1];
        var position = 0;
        for (var node = 0; node < nodeCount; node++)
        {
            childStart[node] = position;
            childCount[node] = _children[node].Count;
            foreach (var (key, target) in _children[node].OrderBy(pair => pair.Key))
            {
                keys[position] = key;
                targets[position] = target;
                position++;
            }
        }

        var rootNext = new int[256];
        foreach (var (key, target) in _children[0])
        {
            rootNext[key] = target;
        }

        var fail = new int[nodeCount];
        var output = new int[nodeCount];
        output[0] = -1;
        var queue = new Queue<int>();
        foreach (var child in _children[0].Values)
        {
            fail[child] = 0;
            output[child] = _terminal[child];
            queue.Enqueue(child);
        }
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var (key, child) in _children[node])
            {
                var f = fail[node];
                while (f != 0 && !_children[f].ContainsKey(key))
                {
                    f = fail[f];
                }
                fail[child] = _children[f].TryGetValue(key, out var target) && target != child ? target : 0;
                output[child] = _terminal[child] >= 0 ? _terminal[child] : output[fail[child]];
                queue.Enqueue(child);
            }
        }
        return (rootNext, childStart, childCount, keys, targets, fail, output);
    }
}
