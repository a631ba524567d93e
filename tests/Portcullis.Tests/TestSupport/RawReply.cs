using System.Text;

namespace Portcullis.Tests.TestSupport;

/// <summary>What a <see cref="RawHttpUpstream"/> writes back, and whether it then closes the connection (sends FIN).</summary>
internal sealed record RawReply(byte[] Bytes, bool Close = false)
{
    /// <summary>Latin-1 text, so every byte 0-255 can be scripted.</summary>
    public static RawReply Of(string text, bool close = false) => new(Encoding.Latin1.GetBytes(text), close);

    /// <summary>Read the request, then close without answering.</summary>
    public static RawReply CloseWithoutAnswer { get; } = new([], Close: true);
}
