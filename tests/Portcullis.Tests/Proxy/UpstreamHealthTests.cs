using Portcullis.Proxy;
using Portcullis.Tests.TestSupport;

namespace Portcullis.Tests.Proxy;

public sealed class UpstreamHealthTests
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(10);

    private readonly ManualTimeProvider _time = new();
    private readonly UpstreamHealth _health;

    public UpstreamHealthTests() => _health = new UpstreamHealth(_time);

    private void FailTimes(int count, int threshold = 3)
    {
        for (var i = 0; i < count; i++)
        {
            _health.ReportFailure(threshold, Cooldown);
        }
    }

    [Fact]
    public void New_NothingReported_IsAvailable()
    {
        Assert.True(_health.IsAvailable);
        Assert.True(_health.ActiveHealthy);
        Assert.Equal(0, _health.ConsecutiveFailures);
    }

    [Fact]
    public void ReportFailure_BelowThreshold_StaysAvailable()
    {
        Assert.False(_health.ReportFailure(3, Cooldown));
        Assert.False(_health.ReportFailure(3, Cooldown));

        Assert.True(_health.IsAvailable);
        Assert.Equal(2, _health.ConsecutiveFailures);
    }

    [Fact]
    public void ReportFailure_ReachesThreshold_TakesOutAndResetsStreak()
    {
        FailTimes(2);

        Assert.True(_health.ReportFailure(3, Cooldown));

        Assert.False(_health.IsAvailable);
        Assert.True(_health.ActiveHealthy); // passive failures do not touch the active verdict
        Assert.Equal(0, _health.ConsecutiveFailures);
    }

    [Fact]
    public void ReportFailure_ThresholdOne_TakesOutAtOnce()
    {
        Assert.True(_health.ReportFailure(1, Cooldown));
        Assert.False(_health.IsAvailable);
    }

    [Fact]
    public void IsAvailable_AfterCooldown_ComesBack()
    {
        FailTimes(3);

        _time.Advance(Cooldown - TimeSpan.FromTicks(1));
        Assert.False(_health.IsAvailable);

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(_health.IsAvailable);
    }

    [Fact]
    public void ReportFailure_CooldownIsTheGivenOne_NotAFixedDefault()
    {
        _health.ReportFailure(1, TimeSpan.FromSeconds(30));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(_health.IsAvailable);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_health.IsAvailable);
    }

    [Fact]
    public void ReportFailure_AfterComingBack_NeedsAFullNewStreak()
    {
        FailTimes(3);
        _time.Advance(Cooldown);

        Assert.False(_health.ReportFailure(3, Cooldown));
        Assert.False(_health.ReportFailure(3, Cooldown));
        Assert.True(_health.IsAvailable);
        Assert.True(_health.ReportFailure(3, Cooldown));
        Assert.False(_health.IsAvailable);
    }

    [Fact]
    public void ReportSuccess_InTheMiddleOfAStreak_ResetsIt()
    {
        FailTimes(2);

        _health.ReportSuccess();
        Assert.Equal(0, _health.ConsecutiveFailures);

        Assert.False(_health.ReportFailure(3, Cooldown));
        Assert.False(_health.ReportFailure(3, Cooldown));
        Assert.True(_health.IsAvailable);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ReportFailure_ThresholdDisabled_NeverTakesOut(int threshold)
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.False(_health.ReportFailure(threshold, Cooldown));
        }

        Assert.True(_health.IsAvailable);
    }

    [Fact]
    public void SetActive_False_TakesOutUntilTrue()
    {
        Assert.True(_health.SetActive(false));
        Assert.False(_health.IsAvailable);
        Assert.False(_health.ActiveHealthy);

        _time.Advance(TimeSpan.FromHours(1)); // no cooldown brings an actively failed upstream back
        Assert.False(_health.IsAvailable);

        Assert.True(_health.SetActive(true));
        Assert.True(_health.IsAvailable);
        Assert.True(_health.ActiveHealthy);
    }

    [Fact]
    public void SetActive_SameVerdict_ReportsNoChange()
    {
        Assert.False(_health.SetActive(true));
        Assert.True(_health.SetActive(false));
        Assert.False(_health.SetActive(false));
        Assert.True(_health.SetActive(true));
        Assert.False(_health.SetActive(true));
    }

    [Fact]
    public void SetActive_TrueAfterFalse_EndsPassiveCooldown()
    {
        FailTimes(3);
        _health.SetActive(false);

        Assert.True(_health.SetActive(true));

        Assert.True(_health.IsAvailable);
        Assert.Equal(0, _health.ConsecutiveFailures);
    }

    [Fact]
    public void SetActive_TrueAfterFalse_ClearsPartialStreak()
    {
        FailTimes(2);
        _health.SetActive(false);
        _health.SetActive(true);

        Assert.Equal(0, _health.ConsecutiveFailures);
        Assert.False(_health.ReportFailure(3, Cooldown));
    }

    [Fact]
    public void SetActive_TrueWhileAlreadyHealthy_KeepsPassiveCooldown()
    {
        // Only a verdict that flips back to healthy ends a cooldown; the periodic "still healthy" of an
        // active check that never failed does not, or every check would cut passive cooldowns short.
        FailTimes(3);

        Assert.False(_health.SetActive(true));

        Assert.False(_health.IsAvailable);
        _time.Advance(Cooldown);
        Assert.True(_health.IsAvailable);
    }

    [Fact]
    public void SetActive_FalseDuringPassiveCooldown_StaysOutAfterCooldown()
    {
        FailTimes(3);
        _health.SetActive(false);

        _time.Advance(Cooldown);

        Assert.False(_health.IsAvailable);
    }
}
