namespace Portcullis.Waf.Transactions;

/// <summary>
/// Request header names and values, and argument names, seen before on this thread, kept as one string object per
/// content, so the work the engine does on a value once is kept past the transaction, for those strings and for what
/// transforming them gives: the literal scans (<see cref="LiteralHits"/>), the transformations
/// (<see cref="TransformationCache"/>) and the operator searches that found nothing (<see cref="KnownNoMatch"/>).
/// Browsers send the same User-Agent, Accept, Accept-Language, sec-ch-ua and Sec-Fetch-* values on every request, and
/// CRS tests them with ~20 pipelines: a benign GET's sixteen headers were ~45 % of its WAF time.
/// <para>Header names and values are kept, and argument names (query, form and JSON fields): an application's clients
/// send the same names request after request (a 2 KB JSON order's 84 field names were ~13 % of its WAF time, a
/// ten-field form's ~8 %). Argument values and bodies change from request to request; cookies were measured and
/// gained nothing. A client sending new names each time only makes the thread start over sooner (see below).</para>
/// <para>Bounded: values longer than <see cref="MaxLength"/> chars are not kept, and after <see cref="MaxValues"/>
/// strings (1 MiB at most) the thread starts over with a new <see cref="Generation"/>, which tells the caches to drop
/// what they kept. A client sending a new User-Agent each time costs a rebuild now and then, never memory. Per
/// thread, like the caches: no locks on the request path, and a transaction that moves to another thread only finds
/// less.</para>
/// </summary>
internal sealed class RepeatedValues
{
    internal const int MaxLength = 512;
    internal const int MaxValues = 1024;

    [ThreadStatic]
    private static RepeatedValues? t_current;

    private static int s_generations;

    private readonly HashSet<string> _byContent = new(StringComparer.Ordinal);
    private readonly HashSet<StringReference> _kept = [];
    private readonly HashSet<(StringReference Value, object Test)> _noMatch = [];
    private const int MaxNoMatches = 16 * 1024;

    // A bit per identity hash of a kept string: most values a transaction looks up are not kept (arguments, bodies and
    // what transforming them gives), and one bit test answers them instead of a set lookup. With 1,024 strings kept in
    // 16,384 bits, about one in sixteen others still takes the lookup.
    private readonly ulong[] _filter = new ulong[FilterWords];
    private const int FilterWords = 256;

    private RepeatedValues() => Generation = Interlocked.Increment(ref s_generations);

    /// <summary>This thread's.</summary>
    public static RepeatedValues Current => t_current ??= new RepeatedValues();

    /// <summary>Changes (process-wide unique) whenever the kept strings are dropped.</summary>
    public int Generation { get; private set; }

    /// <summary>The kept string with <paramref name="value"/>'s content, keeping this one when there is none.</summary>
    public string Keep(string value)
    {
        if (value.Length > MaxLength)
        {
            return value;
        }
        if (_byContent.TryGetValue(value, out var kept))
        {
            return kept;
        }
        StartOverIfFull();
        _byContent.Add(value);
        Add(value);
        return value;
    }

    /// <summary>True when <paramref name="value"/> is this very object kept (a header string or an output of one).</summary>
    public bool IsKept(string value) => MayBeKept(value) && _kept.Contains(new StringReference(value));

    /// <summary>False when <paramref name="value"/> is surely not kept; true when it may be.</summary>
    public bool MayBeKept(string value) => (FilterWord(value, out var bit) & bit) != 0;

    private void Add(string value)
    {
        _kept.Add(new StringReference(value));
        FilterWord(value, out var bit) |= bit;
    }

    /// <summary>The filter word and bit of <paramref name="value"/>'s identity hash.</summary>
    private ref ulong FilterWord(string value, out ulong bit)
    {
        var hash = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value);
        bit = 1UL << hash;
        return ref _filter[(hash >> 6) & (FilterWords - 1)];
    }

    /// <summary>
    /// True when <paramref name="test"/> (an operator's own search: a regex, the SQL injection detector) is already
    /// known to find nothing in the kept string <paramref name="value"/>. Only "no match" is remembered: a match has
    /// side effects (captures) and benign headers do not match.
    /// </summary>
    public bool KnownNoMatch(string value, object test) =>
        _noMatch.Count > 0 && MayBeKept(value) && _noMatch.Contains((new StringReference(value), test));

    /// <summary>Remembers that <paramref name="test"/> finds nothing in <paramref name="value"/>, when it is a kept string.</summary>
    public void NoMatch(string value, object test)
    {
        if (_noMatch.Count < MaxNoMatches && IsKept(value))
        {
            _noMatch.Add((new StringReference(value), test));
        }
    }

    /// <summary>Keeps <paramref name="output"/>, what transforming a kept string produced, by reference.</summary>
    public void KeepOutput(string output)
    {
        if (output.Length > MaxLength || _kept.Contains(new StringReference(output)))
        {
            return;
        }
        StartOverIfFull();
        Add(output);
    }

    private void StartOverIfFull()
    {
        if (_kept.Count < MaxValues)
        {
            return;
        }
        _byContent.Clear();
        _kept.Clear();
        _noMatch.Clear();
        Array.Clear(_filter);
        Generation = Interlocked.Increment(ref s_generations);
    }
}

/// <summary>A string compared by reference, as a struct key: a dictionary calls its equality directly instead of
/// through a comparer object.</summary>
internal readonly struct StringReference(string value) : IEquatable<StringReference>, IIdentityKey<StringReference>
{
    private readonly string _value = value;

    public bool Equals(StringReference other) => ReferenceEquals(_value, other._value);

    public override bool Equals(object? obj) => obj is StringReference other && Equals(other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_value);

    public bool IsEmpty => _value is null;

    public static int Hash(StringReference key) => key.GetHashCode();

    public bool Same(StringReference other) => Equals(other);
}
