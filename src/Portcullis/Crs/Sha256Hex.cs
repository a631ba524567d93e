namespace Portcullis.Crs;

/// <summary>Parses a SHA-256 digest written as 64 hex digits (sha256sum's output), case-insensitive.</summary>
internal static class Sha256Hex
{
    public static bool TryParse(string? text, out string digest)
    {
        digest = "";
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length != 64 || !trimmed.All(char.IsAsciiHexDigit))
        {
            return false;
        }
        digest = trimmed.ToLowerInvariant();
        return true;
    }
}
