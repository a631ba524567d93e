namespace Portcullis.Demo;

/// <summary>
/// The demo API's in-memory items. Thread-safe; capped at <see cref="Capacity"/> items so a script posting in a
/// loop cannot grow the process without bound.
/// </summary>
internal sealed class DemoItemStore
{
    public const int Capacity = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<int, DemoItem> _items = [];
    private int _lastId;

    public DemoItemStore(IEnumerable<DemoItem> seed)
    {
        foreach (var item in seed.Take(Capacity))
        {
            _items.Add(item.Id, item);
            _lastId = Math.Max(_lastId, item.Id);
        }
    }

    public DemoItem[] GetAll()
    {
        lock (_lock)
        {
            return _items.Values.OrderBy(i => i.Id).ToArray();
        }
    }

    public DemoItem? Find(int id)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(id);
        }
    }

    /// <summary>Adds an item with the next id; null when the store is full.</summary>
    public DemoItem? TryAdd(string name, decimal price)
    {
        lock (_lock)
        {
            if (_items.Count >= Capacity)
            {
                return null;
            }

            var item = new DemoItem(++_lastId, name, price);
            _items.Add(item.Id, item);
            return item;
        }
    }
}
