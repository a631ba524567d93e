using System.Security.Cryptography;

namespace Portcullis.Challenge;

/// <summary>
/// HMAC-SHA256 with a keyed state kept per thread. The one-shot <see cref="HMACSHA256.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>
/// sets up a new keyed OpenSSL context on every call, which cost tens of microseconds a pass check on the test
/// machine (docs/benchmarks.md); a kept <see cref="IncrementalHash"/> resets to the keyed state after each MAC.
/// IncrementalHash is not thread-safe, hence one per thread; the gateway has one live key, so a thread's state is
/// built once.
/// </summary>
internal static class ThreadHmac
{
    [ThreadStatic]
    private static (byte[] Key, IncrementalHash Hmac)? t_state;

    public static void Compute(byte[] key, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        var state = t_state;
        if (state is null || !ReferenceEquals(state.Value.Key, key))
        {
            state?.Hmac.Dispose();
            state = (key, IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
            t_state = state;
        }
        var hmac = state.Value.Hmac;
        hmac.AppendData(message);
        hmac.GetHashAndReset(mac);
    }
}
