namespace Portcullis.Waf.Operators.Matching;

/// <summary>Outcome of <see cref="Utf8EncodingValidator"/>, with ModSecurity v2's log wording.</summary>
internal enum Utf8EncodingResult
{
    Valid,

    /// <summary>"not enough bytes in character": the input ends inside a sequence.</summary>
    NotEnoughBytes,

    /// <summary>"invalid byte value in character": a stray continuation byte, 0xF8–0xFF, or a bad continuation.</summary>
    InvalidEncoding,

    /// <summary>"overlong character detected": a code point spelled with more bytes than it needs (C0 AF for '/').</summary>
    OverlongCharacter,

    /// <summary>"use of restricted character": a surrogate (U+D800–U+DFFF) or a code point above U+10FFFF.</summary>
    RestrictedCharacter,
}
