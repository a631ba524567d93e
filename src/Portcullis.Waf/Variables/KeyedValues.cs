namespace Portcullis.Waf.Variables;

/// <summary>
/// An ordered collection of (key, value) pairs with case-insensitive keys that may repeat (ARGS, headers, cookies),
/// as ModSecurity's apr tables. <c>TX</c> uses <see cref="Set"/> so its keys stay unique.
/// <para>An index from key to first position makes a named lookup (<c>TX:blocking_paranoia_level</c>,
/// <c>REQUEST_HEADERS:User-Agent</c>) one hash probe instead of a scan: CRS names TX variables in most of its rules,
/// and TX holds dozens of them.</para>
/// </summary>
internal sealed class KeyedValues
{
    private readonly List<KeyValuePair<string, string>> _items = [];
    private readonly Dictionary<string, int> _first = new(StringComparer.OrdinalIgnoreCase);
    private readonly ChangeCounter? _changes;
    private bool _indexed;
    private bool _hasRepeatedKeys;

    /// <param name="changes">Also counts this collection's changes (<see cref="VariableStore"/> counts those of the
    /// request collections that shared selections read), or null.</param>
    public KeyedValues(ChangeCounter? changes = null) => _changes = changes;

    public int Count => _items.Count;

    /// <summary>Goes up on every change: what the engine derived from this collection alone (the literal unions of
    /// <see cref="Transactions.ViewLiterals"/>) compares it.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    /// <summary>The items for a loop on the hot path (no boxed enumerator); valid until the next change.</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> Span => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_items);

    /// <summary>True when some key is present more than once (then a named lookup must scan for every occurrence).</summary>
    public bool HasRepeatedKeys
    {
        get
        {
            EnsureIndexed();
            return _hasRepeatedKeys;
        }
    }

    public void Add(string key, string value)
    {
        Changed();
        if (_indexed && !_first.TryAdd(key, _items.Count))
        {
            _hasRepeatedKeys = true;
        }
        _items.Add(new(key, value));
    }

    /// <summary>Makes room for <paramref name="count"/> items in all, so adding a body's arguments does not grow the
    /// list step by step (a JSON post's 84 arguments left ~4 KB of outgrown arrays behind).</summary>
    public void EnsureCapacity(int count) => _items.EnsureCapacity(count);

    /// <summary>Replaces every value under <paramref name="key"/> with one (TX semantics).</summary>
    public void Set(string key, string value)
    {
        Changed();
        EnsureIndexed();
        if (!_first.TryGetValue(key, out var i))
        {
            _first[key] = _items.Count;
            _items.Add(new(key, value));
            return;
        }
        _items[i] = new(_items[i].Key, value);
        if (!_hasRepeatedKeys)
        {
            return;
        }
        for (var j = _items.Count - 1; j > i; j--)
        {
            if (string.Equals(_items[j].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                _items.RemoveAt(j);
            }
        }
        Reindex();
    }

    public bool Remove(string key)
    {
        EnsureIndexed();
        if (!_first.ContainsKey(key))
        {
            return false;
        }
        Changed();
        _items.RemoveAll(item => string.Equals(item.Key, key, StringComparison.OrdinalIgnoreCase));
        Reindex();
        return true;
    }

    public string? Get(string key)
    {
        EnsureIndexed();
        return _first.TryGetValue(key, out var i) ? _items[i].Value : null;
    }

    /// <summary>The position of the first item under <paramref name="key"/>, or -1.</summary>
    public int IndexOf(string key)
    {
        EnsureIndexed();
        return _first.TryGetValue(key, out var i) ? i : -1;
    }

    /// <summary>Replaces the items with <paramref name="items"/> (unique keys), in order.</summary>
    public void ReplaceWith(KeyValuePair<string, string>[] items)
    {
        Changed();
        _items.Clear();
        // Room for what the request's rules add (CRS: ~40 more), so the list and its index do not grow step by step.
        _items.EnsureCapacity(items.Length * 2);
        _items.AddRange(items);
        if (_indexed)
        {
            _first.Clear();
            _indexed = false;
        }
        _hasRepeatedKeys = false;
    }

    public void Clear()
    {
        if (_items.Count == 0)
        {
            return;
        }
        Changed();
        _items.Clear();
        if (_indexed)
        {
            _first.Clear();
            _indexed = false;
        }
        _hasRepeatedKeys = false;
    }

    private void EnsureIndexed()
    {
        if (!_indexed)
        {
            Reindex();
        }
    }

    private void Changed()
    {
        Version++;
        if (_changes is not null)
        {
            _changes.Value++;
        }
    }

    private void Reindex()
    {
        _first.Clear();
        _first.EnsureCapacity(_items.Capacity);
        _hasRepeatedKeys = false;
        for (var i = 0; i < _items.Count; i++)
        {
            if (!_first.TryAdd(_items[i].Key, i))
            {
                _hasRepeatedKeys = true;
            }
        }
        _indexed = true;
    }
}
