using Portcullis.Demo;

namespace Portcullis.Tests.Demo;

public sealed class DemoPayloadTests
{
    [Fact]
    public void Fill_InChunksOrAtOnce_GivesTheSameBytes()
    {
        var whole = new byte[4096];
        new DemoPayload().Fill(whole);

        var chunked = new byte[4096];
        var payload = new DemoPayload();
        payload.Fill(chunked.AsSpan(0, 1024));
        payload.Fill(chunked.AsSpan(1024));

        Assert.Equal(whole, chunked);
        Assert.Contains(whole, b => b != 0);
    }

    [Fact]
    public void Fill_LengthNotMultipleOfEight_Throws()
    {
        var payload = new DemoPayload();

        Assert.Throws<ArgumentException>(() => payload.Fill(new byte[7]));
    }
}
