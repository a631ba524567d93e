namespace Portcullis.Waf.Tests.Transformations;

/// <summary>Inputs are UTF-8 bytes as Latin-1 chars.</summary>
public sealed class Utf8ToUnicodeTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("ascii only", "ascii only")]
    [InlineData("caf\u00c3\u00a9", "caf%u00e9")] // é
    [InlineData("\u00c4\u0080 \u00c4\u00aa", "%u0100 %u012a")] // Ā Ī, from ModSecurity's utf8toUnicode.t
    [InlineData("\u00e2\u0096\u00a0", "%u25a0")] // ■
    [InlineData("\u00ef\u00bc\u008f", "%uff0f")] // full-width solidus, which urlDecodeUni then folds to '/'
    [InlineData("\u00f0\u009f\u0098\u0080", "%u1f600")] // 😀: five digits, no padding
    [InlineData("\u00c0\u00af", "%u002f\u00c0")] // Overlong '/': converted, then the lead byte appended.
    [InlineData("\u00e0\u0080\u00af", "%u002f\u00e0")]
    [InlineData("\u00ed\u00a0\u0080", "%ud800\u00ed")] // Surrogate: lead byte appended too.
    [InlineData("\u00c3", "")] // Truncated at the end: the lead byte is dropped.
    [InlineData("a\u00c3b", "ab")] // Bad continuation: lead dropped, scanning resumes.
    [InlineData("\u00e2\u0082", "\u0082")] // Lead dropped; the orphan continuation byte is copied.
    [InlineData("\u0080\u00bf\u00f8\u00ff", "\u0080\u00bf\u00f8\u00ff")] // Not lead bytes: copied.
    [InlineData("\u00f5\u0080\u0080\u0080", "\u00f5%u140000")] // Beyond U+10FFFF: lead emitted first.
    [InlineData("a\0b\u00c3\u00a9", "a\0b%u00e9")] // NUL kept (v2 drops it; see the class comment).
    public void Apply_Input_ConvertsAsModSecurity(string input, string expected) =>
        TransformationAssert.Transforms("utf8toUnicode", input, expected);
}
