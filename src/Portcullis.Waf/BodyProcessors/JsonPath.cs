namespace Portcullis.Waf.BodyProcessors;

/// <summary>The current member path of the JSON walk as bytes ("json.a.0"), grown and cut back as containers open and close.</summary>
internal sealed class JsonPath
{
    private byte[] _bytes = new byte[64];

    public JsonPath() => Append("json"u8);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, Length);

    public void Append(ReadOnlySpan<byte> segment)
    {
        if (Length + segment.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + segment.Length));
        }
        segment.CopyTo(_bytes.AsSpan(Length));
        Length += segment.Length;
    }

    public void Truncate(int length) => Length = length;
}
