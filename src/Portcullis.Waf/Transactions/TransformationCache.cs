using System.Runtime.CompilerServices;
using Portcullis.Waf.Transformations;

namespace Portcullis.Waf.Transactions;

/// <summary>
/// The transformed values of one transaction, by input value and pipeline, both compared by reference: CRS runs the
/// same pipeline over the same values in every rule of a family (t:urlDecodeUni for the SQL rules, the long
/// HTML/JS-decoding chain for the XSS rules, t:cmdLine for the command rules), so each is computed once. Pipelines
/// are interned when the rule set is built, and a value taken from a collection is the same string object in every
/// rule that selects it.
/// <para>Bounded: inputs over <see cref="MaxInputLength"/> chars are not cached, and once the cached outputs hold
/// <see cref="MaxCachedChars"/> chars nothing more is added (a huge body transformed ten ways must not be kept ten
/// times). Instances are pooled per thread and emptied between transactions, but for the outputs of repeated header
/// strings (<see cref="RepeatedValues"/>), which the next request with the same header finds here.</para>
/// </summary>
internal sealed class TransformationCache
{
    private const int MaxInputLength = 16 * 1024;
    private const int MaxCachedChars = 1024 * 1024;
    private const int MaxPooledEntries = 4096;
    private const int MaxPooled = 64;
    // A kept header value meets ~20 pipelines: a browser's headers make ~650 entries.
    private const int MaxKept = 2048;

    [ThreadStatic]
    private static Stack<TransformationCache>? t_pool;

    private readonly IdentityMap<Key, string> _outputs = new();
    private int _cachedChars;

    // Outputs of repeated header strings (RepeatedValues), kept past the transaction while the thread keeps those.
    private readonly IdentityMap<Key, string> _kept = new();
    private int _keptGeneration;

    public static TransformationCache Rent()
    {
        var cache = t_pool is { Count: > 0 } pool ? pool.Pop() : new TransformationCache();
        var generation = RepeatedValues.Current.Generation;
        if (cache._keptGeneration != generation)
        {
            cache._kept.Clear();
            cache._keptGeneration = generation;
        }
        return cache;
    }

    /// <summary>Empties the cache but for the outputs of kept header strings, and gives it back to this thread's pool
    /// (unless one request made it huge).</summary>
    public void Return()
    {
        var keep = _outputs.Count <= MaxPooledEntries;
        _outputs.Clear();
        _cachedChars = 0;
        var pool = t_pool ??= new Stack<TransformationCache>();
        if (keep && pool.Count < MaxPooled)
        {
            pool.Push(this);
        }
    }

    public string Apply(string input, Transformation[] pipeline)
    {
        if (input.Length > MaxInputLength)
        {
            return Run(input, pipeline);
        }
        var key = new Key(input, pipeline);
        if (_outputs.TryGetValue(key, out var output))
        {
            return output;
        }
        var repeated = RepeatedValues.Current;
        var mayBeKept = repeated.MayBeKept(input);
        if (mayBeKept && _kept.TryGetValue(key, out output))
        {
            return output;
        }
        output = Run(input, pipeline);
        if (mayBeKept && _kept.Count < MaxKept && repeated.Generation == _keptGeneration && repeated.IsKept(input))
        {
            // The output is kept by reference too, so its literal scan is kept as well (LiteralHits).
            if (!ReferenceEquals(output, input))
            {
                repeated.KeepOutput(output);
            }
            _kept.Set(key, output);
            return output;
        }
        if (_cachedChars + output.Length <= MaxCachedChars)
        {
            _outputs.Set(key, output);
            // An unchanged value costs no memory: the output is the input itself.
            _cachedChars += ReferenceEquals(output, input) ? 0 : output.Length;
        }
        return output;
    }

    public static string Run(string input, Transformation[] pipeline)
    {
        var current = input;
        foreach (var transformation in pipeline)
        {
            current = transformation.Apply(current);
        }
        return current;
    }

    private readonly struct Key(string input, Transformation[] pipeline) : IIdentityKey<Key>
    {
        private readonly string _input = input;
        private readonly Transformation[] _pipeline = pipeline;

        public bool IsEmpty => _input is null;

        // The pipeline's hash spread over the high bits: the low bits pick the slot, and one value meets ~20 pipelines.
        public static int Hash(Key key) => RuntimeHelpers.GetHashCode(key._input) ^ (int)((uint)RuntimeHelpers.GetHashCode(key._pipeline) * 0x9E3779B1u);

        public bool Same(Key other) => ReferenceEquals(_input, other._input) && ReferenceEquals(_pipeline, other._pipeline);
    }
}
