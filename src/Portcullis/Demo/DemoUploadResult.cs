namespace Portcullis.Demo;

/// <summary>The answer of <c>POST /upload</c>: how many bytes arrived and their SHA-256, lower-case hex.</summary>
internal sealed record DemoUploadResult(long Bytes, string Sha256);
