using Microsoft.AspNetCore.Http;
using Portcullis.Demo;

namespace Portcullis.Tests.Demo;

public sealed class DemoQueryTests
{
    [Theory]
    [InlineData("", true, 5)]
    [InlineData("?n=0", true, 0)]
    [InlineData("?n=42", true, 42)]
    [InlineData("?n=5000", true, 100)]
    [InlineData("?n=99999999999", true, 100)]
    [InlineData("?n=-1", false, 0)]
    [InlineData("?n=+1", false, 0)]
    [InlineData("?n=1e3", false, 0)]
    [InlineData("?n=", false, 0)]
    [InlineData("?n=1&n=2", false, 0)]
    public void TryGetClampedInt_Value_ParsesAndClamps(string queryString, bool ok, int expected)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(queryString);

        var result = DemoQuery.TryGetClampedInt(context.Request, "n", defaultValue: 5, max: 100, out var value);

        Assert.Equal(ok, result);
        Assert.Equal(expected, value);
    }
}
