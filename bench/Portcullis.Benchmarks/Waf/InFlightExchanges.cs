using Portcullis.Waf.Rules;
using Portcullis.Waf.Transactions;

namespace Portcullis.Benchmarks.Waf;

/// <summary>
/// One exchange at a time, but with <see cref="Depth"/> of them in flight, as in a gateway serving that many
/// connections on one thread: each step runs a new transaction's request side and the response side of the one
/// started <see cref="Depth"/> steps before (its upstream answered meanwhile). With a depth of 1 it is
/// <see cref="WafExchange.Run"/>.
/// </summary>
internal sealed class InFlightExchanges(WafExchange exchange, RuleSet rules, RuleEngineMode mode, int depth)
{
    private readonly (Transaction Tx, Interruption? Interruption)[] _ring = new (Transaction, Interruption?)[Math.Max(depth - 1, 0)];
    private int _next;
    private int _count;

    public int Depth { get; } = Math.Max(depth, 1);

    public void Step()
    {
        var tx = exchange.Start(rules, mode, out var interruption);
        if (_ring.Length == 0)
        {
            exchange.Finish(tx, interruption);
            return;
        }
        if (_count == _ring.Length)
        {
            var (oldest, its) = _ring[_next];
            exchange.Finish(oldest, its);
        }
        else
        {
            _count++;
        }
        _ring[_next] = (tx, interruption);
        _next = (_next + 1) % _ring.Length;
    }

    /// <summary>Finishes every transaction still in flight.</summary>
    public void Drain()
    {
        for (var i = 0; i < _count; i++)
        {
            var (tx, interruption) = _ring[(_next + i) % _ring.Length];
            exchange.Finish(tx, interruption);
        }
        _count = 0;
        _next = 0;
    }
}
