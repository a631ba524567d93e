namespace Portcullis.Waf.Rules;

/// <summary>A rule id or an inclusive id range as SecRuleRemoveById and ctl:ruleRemoveById take them ("1-99").</summary>
internal readonly record struct IdRange(int First, int Last)
{
    public bool Contains(int id) => id >= First && id <= Last;

    /// <summary>Parses "ID", "FIRST-LAST", or several of them separated by spaces or commas.</summary>
    public static IdRange[] ParseList(string text)
    {
        var parts = text.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new FormatException("expected a rule id or a range like 900000-900999");
        }
        return [.. parts.Select(Parse)];
    }

    private static IdRange Parse(string part)
    {
        var dash = part.IndexOf('-', 1);
        if (dash < 0)
        {
            return int.TryParse(part, out var id) ? new IdRange(id, id) : throw Bad(part);
        }
        return int.TryParse(part[..dash], out var first) && int.TryParse(part[(dash + 1)..], out var last) && first <= last
            ? new IdRange(first, last)
            : throw Bad(part);
    }

    private static FormatException Bad(string part) => new($"'{part}' is not a rule id or a range like 900000-900999");
}
