using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portcullis.Tests.TestSupport;

internal static class TestPorts
{
    /// <summary>A loopback port that was free a moment ago (the OS hands out ephemeral ports round-robin, so reuse races are rare).</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A free loopback port below the kernel's ephemeral range, for a server that must bind it again later (a
    /// restarted OCSP responder whose URL is fixed in a certificate). A port from <see cref="GetFree"/> can meanwhile
    /// become the source port of any outgoing connection on the machine, and the second bind then fails with
    /// "Address already in use" (seen once in CI emulation); no outgoing connection takes a port below the range.
    /// </summary>
    public static int GetFreeBelowEphemeralRange()
    {
        var low = EphemeralRangeStart();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(Math.Max(1024, low - 12_000), low);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
        throw new InvalidOperationException($"no free loopback port below {low}");
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
