namespace Portcullis.Waf.Transactions;

/// <summary>The SecLang phases, in the order a transaction goes through them.</summary>
public enum Phase
{
    RequestHeaders = 1,
    RequestBody = 2,
    ResponseHeaders = 3,
    ResponseBody = 4,
    Logging = 5,
}
