namespace Portcullis.Waf.Operators.Matching;

/// <summary>Outcome of <see cref="UrlEncodingValidator"/>; anything but <see cref="Valid"/> makes the operator match.</summary>
internal enum UrlEncodingResult
{
    Valid,

    /// <summary>"Invalid URL Encoding: Non-hexadecimal digits used."</summary>
    NonHexaCharacters,

    /// <summary>"Invalid URL Encoding: Not enough characters at the end of input."</summary>
    NotEnoughCharacters,
}
