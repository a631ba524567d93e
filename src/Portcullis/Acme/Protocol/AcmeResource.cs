namespace Portcullis.Acme.Protocol;

internal static class AcmeResource
{
    /// <summary>Placeholder until the client sets the URL an object was fetched from (the JSON does not carry it).</summary>
    public static readonly Uri NoUrl = new("about:blank");
}
