using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portcullis.Tests.TestSupport;

/// <summary>
/// Loopback ports for servers the tests start, taken from below the kernel's ephemeral range and handed out in turn.
/// <para>A port the kernel picks (bind to port 0) is in the ephemeral range: between the moment it is handed out and
/// the moment the server binds it, the kernel can give the same port to any outgoing connection on the machine, or to
/// another bind to port 0, and the server fails with "address already in use". CI saw it with pebble's ports and the
/// demo's. No outgoing connection takes a port below the range, and this process never hands out the same port twice
/// in ~12,000 calls, so a port stays ours until the server that asked for it binds it.</para>
/// </summary>
internal static class TestPorts
{
    private const int Span = 12_000;

    private static readonly int s_low = Math.Max(1024, EphemeralRangeStart() - Span);
    private static readonly int s_count = EphemeralRangeStart() - s_low;
    private static int s_next = Random.Shared.Next(s_count);

    /// <summary>A free loopback port below the ephemeral range that no earlier call handed out.</summary>
    public static int GetFree()
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var port = s_low + (int)((uint)Interlocked.Increment(ref s_next) % (uint)s_count);
            if (IsFree(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port in {s_low}-{s_low + s_count - 1}");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
