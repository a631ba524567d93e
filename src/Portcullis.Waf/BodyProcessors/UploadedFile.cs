namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// One multipart file part: FILES_NAMES is <paramref name="FieldName"/>, FILES is <paramref name="FileName"/>,
/// FILES_SIZES is <paramref name="Size"/> (content bytes without the line break before the next boundary).
/// <paramref name="ContentType"/> is the part's Content-Type header value, empty when the part has none.
/// </summary>
internal sealed record UploadedFile(string FieldName, string FileName, long Size, string ContentType);
