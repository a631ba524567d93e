namespace Portcullis.Demo;

/// <summary>The JSON body of the demo API's error responses: <c>{"error": "..."}</c>.</summary>
internal sealed record DemoError(string Error);
