namespace Portcullis.CrsTest;

/// <summary>One request header line as a test writes it; go-ftw sends name and value verbatim ("Name: Value\r\n").</summary>
internal readonly record struct FtwHeader(string Name, string Value);
