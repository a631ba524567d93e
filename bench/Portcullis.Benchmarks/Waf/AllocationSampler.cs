using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// Counts the runtime's allocation-tick events (one per ~100 KB allocated, naming the type that crossed the line) by
/// type: a cheap sampled answer to "what does a transaction allocate?" without dotnet-trace. Enabled by the profile
/// loop's <c>--alloc</c> flag.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();
    private volatile bool _recording;

    public void Start() => _recording = true;

    public void Stop() => _recording = false;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (!_recording || data.EventName is null || !data.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || data.Payload is null)
        {
            return;
        }
        var typeIndex = data.PayloadNames!.IndexOf("TypeName");
        var amountIndex = data.PayloadNames.IndexOf("AllocationAmount64");
        var type = typeIndex >= 0 ? data.Payload[typeIndex] as string ?? "?" : "?";
        var amount = amountIndex >= 0 ? Convert.ToInt64(data.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        _bytesByType.AddOrUpdate(type, amount, (_, total) => total + amount);
    }

    public void Print(long transactions)
    {
        var total = _bytesByType.Values.Sum();
        Console.WriteLine($"allocation samples by type (sampled bytes per transaction):");
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(p => p.Value).Take(25))
        {
            Console.WriteLine(System.FormattableString.Invariant($"  {bytes / (double)transactions,9:F0} B  {100.0 * bytes / total,5:F1} %  {type}"));
        }
    }
}
