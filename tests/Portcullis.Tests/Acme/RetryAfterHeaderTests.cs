using System.Net.Http.Headers;
using Portcullis.Acme.Protocol;

namespace Portcullis.Tests.Acme;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("120", 120.0)]                               // delta-seconds
    [InlineData("Fri, 27 Nov 2026 12:05:00 GMT", 300.0)]     // HTTP-date, 5 minutes ahead
    [InlineData("Fri, 27 Nov 2026 11:00:00 GMT", 0.0)]       // a date in the past means "now"
    [InlineData("31536000", 86400.0)]                        // a year is clamped to one day
    public void Read_HeaderValue_GivesWait(string value, double expectedSeconds)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Retry-After", value);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryAfterHeader.Read(response.Headers, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    public void Read_AbsentOrInvalid_Null(string? value)
    {
        using var response = new HttpResponseMessage();
        if (value is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", value);
        }

        Assert.Null(RetryAfterHeader.Read(response.Headers, Now));
    }

    [Fact]
    public void Read_TypedHeader_Works()
    {
        using var response = new HttpResponseMessage();
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfterHeader.Read(response.Headers, Now));
    }
}
