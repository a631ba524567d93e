namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// The multipart anomaly flags of ModSecurity v2 (msc_multipart.h <c>flag_*</c>) and the variables they become
/// (re_variables.c). MULTIPART_STRICT_ERROR is the OR that ModSecurity computes: it includes the parse-error flag and
/// every anomaly except MULTIPART_UNMATCHED_BOUNDARY and the CRLF flags (only a bare-LF line counts).
/// </summary>
internal sealed class MultipartFlags
{
    public bool Error { get; set; }
    public bool BoundaryQuoted { get; set; }
    public bool BoundaryWhitespace { get; set; }
    public bool DataBefore { get; set; }
    public bool DataAfter { get; set; }
    public bool HeaderFolding { get; set; }
    public bool LfLine { get; set; }
    public bool CrlfLine { get; set; }
    public bool MissingSemicolon { get; set; }
    public bool InvalidQuoting { get; set; }
    public bool InvalidPart { get; set; }
    public bool InvalidHeaderFolding { get; set; }
    public bool FileLimitExceeded { get; set; }
    public bool UnmatchedBoundary { get; set; }

    public bool StrictError =>
        Error || BoundaryQuoted || BoundaryWhitespace || DataBefore || DataAfter || HeaderFolding || LfLine
        || MissingSemicolon || InvalidQuoting || InvalidPart || InvalidHeaderFolding || FileLimitExceeded;

    public void WriteTo(Dictionary<string, string> variables)
    {
        Set(variables, "MULTIPART_STRICT_ERROR", StrictError);
        Set(variables, "MULTIPART_BOUNDARY_QUOTED", BoundaryQuoted);
        Set(variables, "MULTIPART_BOUNDARY_WHITESPACE", BoundaryWhitespace);
        Set(variables, "MULTIPART_DATA_BEFORE", DataBefore);
        Set(variables, "MULTIPART_DATA_AFTER", DataAfter);
        Set(variables, "MULTIPART_HEADER_FOLDING", HeaderFolding);
        Set(variables, "MULTIPART_LF_LINE", LfLine);
        Set(variables, "MULTIPART_CRLF_LINE", CrlfLine);
        Set(variables, "MULTIPART_CRLF_LF_LINES", LfLine && CrlfLine);
        Set(variables, "MULTIPART_MISSING_SEMICOLON", MissingSemicolon);
        Set(variables, "MULTIPART_INVALID_QUOTING", InvalidQuoting);
        Set(variables, "MULTIPART_INVALID_PART", InvalidPart);
        Set(variables, "MULTIPART_INVALID_HEADER_FOLDING", InvalidHeaderFolding);
        Set(variables, "MULTIPART_FILE_LIMIT_EXCEEDED", FileLimitExceeded);
        Set(variables, "MULTIPART_UNMATCHED_BOUNDARY", UnmatchedBoundary);
    }

    private static void Set(Dictionary<string, string> variables, string name, bool value) => variables[name] = value ? "1" : "0";
}
