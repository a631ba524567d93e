using System.Globalization;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Portcullis.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/Portcullis.Benchmarks -- --cpu-challenge [MILLIONS]   (pass check in CPU time)
// dotnet run -c Release --project bench/Portcullis.Benchmarks -- --profile-waf get|form|json [SECONDS] [--alloc|--rules]   (a loop for a profiler; --alloc samples allocations by type, --rules times each rule)
if (args is ["--profile-waf", var exchange, .. var rest])
{
    var seconds = rest.Length > 0 && !rest[0].StartsWith("--", StringComparison.Ordinal) ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 20;
    Portcullis.Benchmarks.Waf.WafProfileLoop.Run(exchange, seconds, allocationTypes: rest.Contains("--alloc"), ruleTimes: rest.Contains("--rules"));
    return;
}
if (args is ["--cpu-challenge", .. var millions])
{
    Portcullis.Benchmarks.ChallengeCpuLoop.Run(millions.Length > 0 ? int.Parse(millions[0], CultureInfo.InvariantCulture) : 1);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Portcullis.Benchmarks.ForwardingBenchmarks).Assembly).Run(args);
