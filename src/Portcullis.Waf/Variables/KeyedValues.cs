namespace Portcullis.Waf.Variables;

/// <summary>
/// An ordered collection of (key, value) pairs with case-insensitive keys that may repeat (ARGS, headers, cookies),
/// as ModSecurity's apr tables. <c>TX</c> uses <see cref="Set"/> so its keys stay unique.
/// </summary>
internal sealed class KeyedValues
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public int Count => _items.Count;

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    public void Add(string key, string value) => _items.Add(new(key, value));

    /// <summary>Replaces every value under <paramref name="key"/> with one (TX semantics).</summary>
    public void Set(string key, string value)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                _items[i] = new(_items[i].Key, value);
                for (var j = _items.Count - 1; j > i; j--)
                {
                    if (string.Equals(_items[j].Key, key, StringComparison.OrdinalIgnoreCase))
                    {
                        _items.RemoveAt(j);
                    }
                }
                return;
            }
        }
        _items.Add(new(key, value));
    }

    public bool Remove(string key) =>
        _items.RemoveAll(item => string.Equals(item.Key, key, StringComparison.OrdinalIgnoreCase)) > 0;

    public string? Get(string key)
    {
        foreach (var item in _items)
        {
            if (string.Equals(item.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return item.Value;
            }
        }
        return null;
    }

    public void Clear() => _items.Clear();
}
