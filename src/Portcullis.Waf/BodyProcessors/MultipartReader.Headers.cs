namespace Portcullis.Waf.BodyProcessors;

/// <summary>Part header lines: ModSecurity v2's <c>multipart_process_part_header</c>.</summary>
internal sealed partial class MultipartReader
{
    private string? ProcessHeaderLine(ReadOnlySpan<byte> line)
    {
        var part = _part!;
        if (line.Contains((byte)0))
        {
            return "Multipart: Nul byte in part headers.";
        }

        if (line.Length > 1 && line[^2] == (byte)'\r')
        {
            _flags.CrlfLine = true;
        }
        else
        {
            _flags.LfLine = true;
        }

        if (line.SequenceEqual("\r\n"u8) || line.SequenceEqual("\n"u8))
        {
            return EndHeaders(part);
        }
        if (MultipartSyntax.IsSpace(line[0]))
        {
            return ContinueFoldedHeader(part, line);
        }
        return AddHeader(part, line);
    }

    private string? EndHeaders(MultipartPart part)
    {
        var disposition = part.GetHeader("Content-Disposition");
        if (disposition is null)
        {
            return "Multipart: Part missing Content-Disposition header.";
        }

        var code = MultipartContentDisposition.Parse(disposition, part, _flags, _names);
        if (code < 0)
        {
            return $"Multipart: Invalid Content-Disposition header ({code}): {ByteStrings.Escape(disposition)}.";
        }
        if (part.Name is null)
        {
            return "Multipart: Content-Disposition header missing name field.";
        }
        if (part.FileName is not null)
        {
            // A cruder parser behind us that looks for the literal "filename=" would miss this file; refuse it.
            if (!disposition.Contains("filename=", StringComparison.Ordinal))
            {
                return "Multipart: Invalid Content-Disposition header (filename).";
            }
            part.IsFile = true;
        }

        part.InData = true;
        part.DataRead = false;
        part.LastHeaderName = null;
        if (part.LastHeaderLine is not null)
        {
            part.HeaderLines.Add(part.LastHeaderLine);
        }
        return null;
    }

    private string? ContinueFoldedHeader(MultipartPart part, ReadOnlySpan<byte> line)
    {
        _flags.HeaderFolding = true;

        // RFC 2557 folds with SP or HTAB only; PHP accepts any whitespace, so ModSecurity accepts it with a flag.
        _flags.InvalidHeaderFolding |= line[0] is not ((byte)' ' or (byte)'\t');
        if (part.LastHeaderName is null)
        {
            return "Multipart: Invalid part header (folding error).";
        }
        var p = 0;
        while (p < line.Length && MultipartSyntax.IsSpace(line[p]))
        {
            _flags.InvalidHeaderFolding |= line[p] is not ((byte)' ' or (byte)'\t');
            p++;
        }

        var continuation = ByteStrings.FromBytes(TrimLineBreak(line[p..]));
        var value = part.GetHeader(part.LastHeaderName) + " " + continuation;
        part.SetHeader(part.LastHeaderName, value);
        if (value.Length > BufferSize)
        {
            return "Multipart: Part header too long.";
        }
        if (part.LastHeaderLine is not null)
        {
            part.LastHeaderLine = part.LastHeaderName + ": " + value;
        }
        return null;
    }

    private string? AddHeader(MultipartPart part, ReadOnlySpan<byte> line)
    {
        if (part.LastHeaderLine is not null)
        {
            part.HeaderLines.Add(part.LastHeaderLine);
        }
        part.LastHeaderLine = ByteStrings.FromBytes(TrimLineBreak(line));

        var colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            return $"Multipart: Invalid part header (colon missing): {ByteStrings.Escape(line)}.";
        }
        if (colon == 0)
        {
            return "Multipart: Invalid part header (header name missing).";
        }

        var name = line[..colon];
        foreach (var c in name)
        {
            // Visible ASCII only: a CTL or high byte in the name is how 922130's evasions hide a second header.
            if (c is < 33 or > 126)
            {
                return "Multipart: Invalid part header (contains invalid character).";
            }
        }

        var rest = line[(colon + 1)..];
        var start = 0;
        while (start < rest.Length && rest[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }
        var headerName = ByteStrings.FromBytes(name);
        if (part.GetHeader(headerName) is not null)
        {
            return $"Multipart: Duplicate part header: {ByteStrings.Escape(headerName)}.";
        }
        if (part.HeaderCount >= _limits.MaxHeadersPerPart)
        {
            return $"Multipart: More than {_limits.MaxHeadersPerPart} part headers.";
        }
        part.AddHeader(headerName, ByteStrings.FromBytes(TrimLineBreak(rest[start..])));
        part.LastHeaderName = headerName;
        return null;
    }

    /// <summary>ModSecurity's <c>remove_lf_crlf_inplace</c>: drops one trailing <c>\n</c> and a <c>\r</c> before it.</summary>
    private static ReadOnlySpan<byte> TrimLineBreak(ReadOnlySpan<byte> value)
    {
        if (value.Length > 0 && value[^1] == (byte)'\n')
        {
            value = value[..^1];
            if (value.Length > 0 && value[^1] == (byte)'\r')
            {
                value = value[..^1];
            }
        }
        return value;
    }
}
