using System.Buffers;
using Portcullis.Waf.Operators.Prefilter;

namespace Portcullis.Waf.Transformations;

/// <summary>
/// The characters one pipeline leaves alone (<see cref="UnchangedValues"/>), computed once per pipeline when the rule
/// set is built and shared by its rules: as <see cref="SearchValues{T}"/> for a vectorised test of a string, and as
/// sets to test a value's scanned characters against.
/// </summary>
/// <param name="Values">A value made only of these comes out unchanged.</param>
/// <param name="Mask">The same characters as a set.</param>
/// <param name="ScanMask"><see cref="Mask"/> plus the characters the pipeline only lowercases (<see cref="UnchangedValues.For"/>).</param>
internal sealed record UnchangedChars(SearchValues<char> Values, AsciiChars Mask, AsciiChars ScanMask);
