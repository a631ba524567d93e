namespace Portcullis.Waf.Transformations;

/// <summary>
/// The named entities htmlEntityDecode knows, matched case-insensitively (<c>strcasecmp</c>). ModSecurity v2 had
/// only quot, amp, lt, gt and nbsp; the fix for advisory GHSA-cxqf-vgrr-xxrv (<c>javascript&amp;colon;</c> bypass)
/// added the ASCII punctuation below (ModSecurity's tests/tfn/htmlEntityDecode.t). Anything else stays as text.
/// </summary>
internal static class HtmlEntityNames
{
    private static readonly Dictionary<string, char>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        new Dictionary<string, char>(StringComparer.OrdinalIgnoreCase)
        {
            ["quot"] = '"',
            ["amp"] = '&',
            ["lt"] = '<',
            ["gt"] = '>',
            ["nbsp"] = CType.Nbsp,
            ["colon"] = ':',
            ["apos"] = '\'',
            ["num"] = '#',
            ["dollar"] = '$',
            ["percnt"] = '%',
            ["lpar"] = '(',
            ["rpar"] = ')',
            ["ast"] = '*',
            ["plus"] = '+',
            ["comma"] = ',',
            ["hyphen"] = '-',
            ["period"] = '.',
            ["sol"] = '/',
            ["semi"] = ';',
            ["equals"] = '=',
            ["quest"] = '?',
            ["commat"] = '@',
            ["lbrack"] = '[',
            ["bsol"] = '\\',
            ["rbrack"] = ']',
            ["caret"] = '^',
            ["lowbar"] = '_',
            ["grave"] = '`',
            ["lbrace"] = '{',
            ["verbar"] = '|',
            ["rbrace"] = '}',
            ["tilde"] = '~',
        }.GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool TryGet(ReadOnlySpan<char> name, out char value) => Lookup.TryGetValue(name, out value);
}
