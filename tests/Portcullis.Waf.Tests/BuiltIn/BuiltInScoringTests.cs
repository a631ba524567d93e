using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Tests.BuiltIn;

/// <summary>The CRS anomaly-scoring contract: severities, threshold, paranoia level and early blocking.</summary>
public sealed class BuiltInScoringTests
{
    private const string OneCritical = "/search?q=%3Cscript%3Ealert(1)%3C/script%3E";

    [Fact]
    public void Score_OneCriticalMatch_AddsFiveAndBlocksAtDefaultThreshold()
    {
        var tx = BuiltInRequest.Run("GET", OneCritical);

        Assert.Equal("5", tx.GetTxVariable("inbound_anomaly_score_threshold"));
        Assert.True(int.Parse(tx.GetTxVariable("inbound_anomaly_score")!, System.Globalization.CultureInfo.InvariantCulture) >= 5);
        Assert.Equal(new Interruption(403, 219110, "deny", Phase.RequestBody), tx.Interruption);
    }

    [Fact]
    public void Score_NoticeOnly_StaysBelowThreshold()
    {
        // HTTP/1.0 without Host: a notice (2), allowed by RFC 9112.
        var tx = BuiltInRequest.Run("GET", "/", protocol: "HTTP/1.0", addHost: false);

        Assert.Equal("2", tx.GetTxVariable("inbound_anomaly_score"));
        Assert.Null(tx.Interruption);
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(5, true)]
    [InlineData(3, true)]
    public void Threshold_SetBeforeTheRules_Wins(int threshold, bool blocked)
    {
        var rules = BuiltInPrelude.Load($"SecAction \"id:100,phase:1,pass,nolog,setvar:tx.inbound_anomaly_score_threshold={threshold}\"");

        var tx = BuiltInRequest.Run("GET", OneCritical, rules: rules);

        Assert.Equal(threshold.ToString(System.Globalization.CultureInfo.InvariantCulture), tx.GetTxVariable("inbound_anomaly_score_threshold"));
        Assert.Equal(blocked, tx.Interruption is not null);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void ParanoiaLevel_PrivateNetworkUrl_CheckedFromLevelTwo(int level, bool blocked)
    {
        var rules = BuiltInPrelude.Load($"SecAction \"id:100,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level={level}\"");

        var tx = BuiltInRequest.Run("GET", "/fetch?url=http://10.1.2.3/admin", rules: rules);

        Assert.Equal(blocked, tx.Interruption is not null);
        Assert.Equal(blocked, tx.Ids().Contains(211020));
    }

    [Fact]
    public void ParanoiaLevel_Unset_DefaultsToOne()
    {
        var tx = BuiltInRequest.Run("GET", "/");

        Assert.Equal("1", tx.GetTxVariable("blocking_paranoia_level"));
        Assert.DoesNotContain(211010, tx.Ids());
    }

    [Fact]
    public void EarlyBlocking_On_BlocksInPhaseOne()
    {
        var rules = BuiltInPrelude.Load("SecAction \"id:100,phase:1,pass,nolog,setvar:tx.early_blocking=1\"");

        var tx = BuiltInRequest.Run("GET", "/", ["User-Agent: Mozilla/5.0 (compatible; Nikto/2.5.0)"], rules: rules);

        Assert.Equal(new Interruption(403, 219100, "deny", Phase.RequestHeaders), tx.Interruption);
    }

    [Fact]
    public void EarlyBlocking_Off_BlocksInPhaseTwo()
    {
        var tx = BuiltInRequest.Run("GET", "/", ["User-Agent: Mozilla/5.0 (compatible; Nikto/2.5.0)"]);

        Assert.Equal(new Interruption(403, 219110, "deny", Phase.RequestBody), tx.Interruption);
    }

    [Fact]
    public void Severity_ErrorOnly_DoesNotBlockAlone()
    {
        // A urlencoded body with a stray '%' is sloppy rather than hostile: an error's weight (4), under the threshold.
        var tx = BuiltInRequest.Run("POST", "/feedback", null, "application/x-www-form-urlencoded", "msg=100%+sure");

        Assert.Contains(210122, tx.Ids());
        Assert.Equal("4", tx.GetTxVariable("inbound_anomaly_score"));
        Assert.Null(tx.Interruption);
    }
}
