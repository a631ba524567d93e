namespace Portcullis.Waf.Transformations;

/// <summary>
/// A SecLang transformation function (<c>t:name</c>). Values are byte strings: every char is one byte 0x00–0xFF
/// (Latin-1 mapping of the raw bytes, notes/waf.md §2), in and out. Implementations are stateless singletons, safe to
/// share between threads, and return the same instance when nothing changes so callers can detect "no change" by
/// reference (ModSecurity's <c>changed</c> flag).
/// </summary>
internal abstract class Transformation
{
    /// <summary>The SecLang name, e.g. <c>urlDecodeUni</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Transforms a Latin-1 byte string; returns <paramref name="input"/> itself when nothing changes.</summary>
    public abstract string Apply(string input);

    public override string ToString() => Name;
}
