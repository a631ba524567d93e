namespace Portcullis.Waf.Detection;

/// <summary>
/// One way of reading the input. Injected text usually lands inside a quoted literal or after one, so the input is
/// read as if it started bare, inside '…' or inside "…"; MySQL's comment rules (<c>#</c>, <c>--</c> needing a space)
/// differ from ANSI's, so a reading may be repeated with them. <see cref="AfterNumber"/> reads the input as the
/// continuation of a numeric value (<c>id=5</c> + <c> ORDER BY 1,SLEEP(5)</c>), the numeric twin of the quote
/// contexts.
/// </summary>
internal readonly record struct SqlParseMode(char Quote, bool MySql, bool AfterNumber = false);
