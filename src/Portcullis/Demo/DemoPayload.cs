using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Portcullis.Demo;

/// <summary>
/// The deterministic pseudo-random bytes of <c>/download</c>: an xorshift64* stream from a fixed seed, so the same
/// size always gives the same file (users can compare hashes across runs) and the bytes do not compress, which
/// keeps transfer tests honest. Not cryptographic, and not meant to be.
/// </summary>
internal sealed class DemoPayload
{
    // Any non-zero seed works; this one is the 64-bit golden ratio used by SplitMix64.
    private ulong _state = 0x9E3779B97F4A7C15;

    /// <summary>Fills <paramref name="buffer"/>, whose length must be a multiple of 8, with the next bytes.</summary>
    public void Fill(Span<byte> buffer)
    {
        if (buffer.Length % sizeof(ulong) != 0)
        {
            throw new ArgumentException("The buffer length must be a multiple of 8.", nameof(buffer));
        }

        var words = MemoryMarshal.Cast<byte, ulong>(buffer);
        var state = _state;
        for (var i = 0; i < words.Length; i++)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            var word = state * 0x2545F4914F6CDD1D;

            // Little-endian on every machine, so the file is the same everywhere.
            words[i] = BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
        }

        _state = state;
    }
}
