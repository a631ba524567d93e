using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Rules;

/// <summary>Numbers distinct literals (ASCII case aside) in the order first seen: the ids of one <see cref="LiteralScanner"/>.</summary>
internal sealed class LiteralIds
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _all = [];

    /// <summary>The literals by id.</summary>
    public IReadOnlyList<string> All => _all;

    public int Id(string literal)
    {
        if (!_ids.TryGetValue(literal, out var id))
        {
            id = _all.Count;
            _ids[literal] = id;
            _all.Add(literal);
        }
        return id;
    }
}
