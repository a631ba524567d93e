namespace Portcullis.Waf.SecLang;

/// <summary>
/// One target of a rule as written: <c>ARGS</c>, <c>ARGS:id</c>, <c>REQUEST_COOKIES:/^_ga/</c> (regex key),
/// <c>!ARGS:password</c> (exclusion), <c>&amp;ARGS</c> (count). Collection names are upper case.
/// </summary>
public sealed record VariableSpec(string Collection, string? Key, bool KeyIsRegex, bool Exclude, bool Count)
{
    public override string ToString() =>
        (Exclude ? "!" : "") + (Count ? "&" : "") + Collection + (Key is null ? "" : ":" + (KeyIsRegex ? "/" + Key + "/" : Key));
}
