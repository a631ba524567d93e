using Portcullis.Cli;

// Run socket continuations on the socket engine's own threads (one per core) instead of hopping to the thread
// pool: on a proxy every request is a chain of socket completions, and the hops cost about a third of the CPU per
// request (docs/benchmarks.md). The runtime reads this once, before the first socket; an operator's explicit
// setting wins.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

return await PortcullisCommand.RunAsync(args);
