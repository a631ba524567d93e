namespace Portcullis.Hosting;

/// <summary>Holds the current <see cref="GatewaySnapshot"/>; readers take it with one volatile read, a reload swaps it.</summary>
internal sealed class GatewayState(GatewaySnapshot initial)
{
    private GatewaySnapshot _current = initial;

    public GatewaySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Installs a new generation and returns the previous one (the caller retires it).</summary>
    public GatewaySnapshot Swap(GatewaySnapshot next) => Interlocked.Exchange(ref _current, next);
}
