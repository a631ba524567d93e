namespace Portcullis.Proxy.Http1;

/// <summary>What the upstream's response head says about the message that follows (RFC 9112 §6).</summary>
internal struct ResponseHead
{
    public int StatusCode;

    /// <summary>-1 when the head has no usable Content-Length.</summary>
    public long ContentLength;

    /// <summary>Transfer-Encoding ends in chunked: the body is chunk-framed.</summary>
    public bool Chunked;

    /// <summary>Transfer-Encoding is present but not chunked: the body runs to the end of the connection (RFC 9112 §6.3 rule 4... 7).</summary>
    public bool HasTransferEncoding;

    /// <summary>The connection cannot be reused after this response (Connection: close, HTTP/1.0, ambiguous framing).</summary>
    public bool Close;
}
