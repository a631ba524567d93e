namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// MULTIPART processor (ModSecurity v2 semantics, msc_multipart.c): field parts become arguments, file parts become
/// <see cref="UploadedFile"/>s (their content is counted, never an argument), every finished part's header lines
/// become MULTIPART_PART_HEADERS, and the anomaly flags become MULTIPART_* variables (see <see cref="MultipartFlags"/>).
/// A Content-Type without a usable boundary, a malformed part header, an invalid boundary line or a missing final
/// boundary is an error; parts finished before it are still reported.
/// </summary>
internal static class MultipartParser
{
    public static BodyParseResult Parse(ReadOnlySpan<byte> body, string contentType, MultipartLimits limits)
    {
        var result = new BodyParseResult();
        var flags = new MultipartFlags();
        var names = new MultipartNames();

        // Like ModSecurity, an init (Content-Type) error message carries no "Multipart parsing error" prefix.
        var error = MultipartContentType.TryGetBoundary(contentType, flags, out var boundary);
        if (error is null)
        {
            error = new MultipartReader(boundary, flags, names, limits, result).Read(body);
        }

        result.Error = error;
        flags.WriteTo(result.Variables);
        names.WriteTo(result.Variables);
        return result;
    }
}
