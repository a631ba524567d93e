namespace Portcullis.Waf.Transformations;

/// <summary>
/// Trimming with <c>isspace()</c> in the C locale. <see cref="string.Trim()"/> is not used because it also strips
/// 0x85 and 0xA0, which ModSecurity keeps.
/// </summary>
internal static class CTrim
{
    public static string Apply(string input, bool left, bool right)
    {
        var start = 0;
        var end = input.Length;
        if (left)
        {
            while (start < end && CType.IsSpace(input[start]))
            {
                start++;
            }
        }
        if (right)
        {
            while (end > start && CType.IsSpace(input[end - 1]))
            {
                end--;
            }
        }
        return start == 0 && end == input.Length ? input : input[start..end];
    }
}
