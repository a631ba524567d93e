using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Portcullis.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Portcullis.Benchmarks.ForwardingBenchmarks).Assembly).Run(args);
