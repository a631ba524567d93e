namespace Portcullis.CorpusReplay;

/// <summary>How a target answered one request.</summary>
internal enum Verdict
{
    /// <summary>1xx-3xx: the request went through to the origin.</summary>
    Passed,

    /// <summary>403, or the connection reset or closed without a response (the corpus README's "blocked").</summary>
    Blocked,

    /// <summary>Any other 4xx: the server refused the request itself (400 body-parse deny, 413, 414, 431, ...).</summary>
    Rejected,

    /// <summary>A timeout, a failed connect or handshake, an unparsable response or a 5xx: no verdict.</summary>
    Error,
}
