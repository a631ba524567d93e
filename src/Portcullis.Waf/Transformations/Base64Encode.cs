using System.Text;

namespace Portcullis.Waf.Transformations;

/// <summary><c>t:base64Encode</c> — standard base64 with padding. Example: <c>test</c> → <c>dGVzdA==</c>.</summary>
internal sealed class Base64Encode : Transformation
{
    public static readonly Base64Encode Instance = new();

    private Base64Encode()
    {
    }

    public override string Name => "base64Encode";

    public override string Apply(string input)
    {
        if (input.Length == 0)
        {
            return input;
        }
        var bytes = Encoding.Latin1.GetBytes(input);
        return Convert.ToBase64String(bytes);
    }
}
