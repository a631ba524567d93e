namespace Portcullis.Waf.BodyProcessors;

/// <summary>
/// MULTIPART_NAME and MULTIPART_FILENAME: ModSecurity v2 keeps one transaction-wide copy of each and overwrites it
/// with every <c>name</c>/<c>filename</c> parameter it parses, so they hold the last ones seen (unset when none).
/// </summary>
internal sealed class MultipartNames
{
    public string? Name { get; set; }

    public string? FileName { get; set; }

    public void WriteTo(Dictionary<string, string> variables)
    {
        if (Name is not null)
        {
            variables["MULTIPART_NAME"] = Name;
        }
        if (FileName is not null)
        {
            variables["MULTIPART_FILENAME"] = FileName;
        }
    }
}
