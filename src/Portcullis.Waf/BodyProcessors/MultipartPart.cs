using System.Buffers;

namespace Portcullis.Waf.BodyProcessors;

/// <summary>One part while it is being read: its headers (in order, looked up case-insensitively like APR tables), the
/// raw header lines for MULTIPART_PART_HEADERS, and its content (kept only for fields; files are just counted).</summary>
internal sealed class MultipartPart
{
    private readonly List<KeyValuePair<string, string>> _headers = [];
    private ArrayBufferWriter<byte>? _value;

    public string? Name { get; set; }

    public string? FileName { get; set; }

    public bool IsFile { get; set; }

    /// <summary>Whether the headers are done (ModSecurity's <c>mpp_state == 1</c>).</summary>
    public bool InData { get; set; }

    /// <summary>Whether a data line was read since the headers ended (<c>mpp_substate_part_data_read</c>).</summary>
    public bool DataRead { get; set; }

    /// <summary>Whether this file part already counted against <see cref="MultipartLimits.MaxFiles"/>.</summary>
    public bool CountedAsFile { get; set; }

    /// <summary>The header a folded continuation line extends.</summary>
    public string? LastHeaderName { get; set; }

    /// <summary>The most recent header line, recorded once the next line shows it is complete.</summary>
    public string? LastHeaderLine { get; set; }

    public List<string> HeaderLines { get; } = [];

    public int HeaderCount => _headers.Count;

    /// <summary>Content bytes so far, without the line break held back in case a boundary follows.</summary>
    public long Length { get; private set; }

    public string? GetHeader(string name)
    {
        foreach (var header in _headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }
        return null;
    }

    public void AddHeader(string name, string value) => _headers.Add(new(name, value));

    public void SetHeader(string name, string value)
    {
        for (var i = 0; i < _headers.Count; i++)
        {
            if (string.Equals(_headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                _headers[i] = new(_headers[i].Key, value);
                return;
            }
        }
        AddHeader(name, value);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        Length += data.Length;
        if (!IsFile && !data.IsEmpty)
        {
            _value ??= new ArrayBufferWriter<byte>();
            _value.Write(data);
        }
    }

    public string Value => _value is null ? string.Empty : ByteStrings.FromBytes(_value.WrittenSpan);
}
