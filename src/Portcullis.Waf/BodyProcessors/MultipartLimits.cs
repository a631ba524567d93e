namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// Bounds for the multipart processor. The body itself is already bounded by the caller (SecRequestBodyLimit); these
/// bound the work and the number of values a hostile body can make the rules evaluate.
/// </summary>
internal sealed record MultipartLimits
{
    public static MultipartLimits Default { get; } = new();

    /// <summary>
    /// File parts beyond this raise MULTIPART_FILE_LIMIT_EXCEEDED (their size is still counted, their content never
    /// kept). Matches the default of ModSecurity v2's SecUploadFileLimit.
    /// </summary>
    public int MaxFiles
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxFiles), value, "must be 0 or more");
    } = 100;

    /// <summary>
    /// Parts (fields and files) before parsing stops with an error. ModSecurity v2 has no such limit, only
    /// SecArgumentsLimit, whose default (1000) this matches; without a bound 100k tiny parts in a 2 MB body would each
    /// become a value every ARGS rule evaluates.
    /// </summary>
    public int MaxParts
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxParts), value, "must be 1 or more");
    } = 1000;

    /// <summary>
    /// Distinct header lines in one part before parsing stops with an error. ModSecurity v2 bounds each line
    /// (4096 bytes) but not their number; real parts carry two or three.
    /// </summary>
    public int MaxHeadersPerPart
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxHeadersPerPart), value, "must be 1 or more");
    } = 32;
}
