namespace Portcullis.Crs;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as gzip stores in its trailer (RFC 1952 §2.3.1). .NET's
/// GZipStream does not check the trailer, so a gzip file cut off after its last deflate block reads as complete;
/// comparing the CRC and length ourselves catches it.
/// </summary>
internal sealed class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private uint _crc = 0xFFFFFFFFu;

    public uint Value => ~_crc;

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = _crc;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        _crc = crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
