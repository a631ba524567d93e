using Portcullis.Waf.Rules;
using Portcullis.Waf.Tests.Transactions;

namespace Portcullis.Waf.Tests.Variables;

/// <summary>A key regex that is only <c>^literal</c> is tested as a prefix; it must select what the regex selects.</summary>
public sealed class KeyPrefixTests
{
    private const string Rules = """
        SecRuleEngine On
        SecAction "id:1,phase:1,pass,nolog,setvar:tx.head_x1=a,setvar:tx.HEAD_X2=b,setvar:tx.xhead_x3=c,setvar:tx.head_y=d,setvar:tx.head_=e"
        SecRule &TX:/^Head_x/ "@eq 2" "id:2,phase:1,pass,log"
        SecRule &TX:/^(?:Head_x)/ "@eq 2" "id:3,phase:1,pass,log"
        SecRule &TX:/^head_/ "@eq 4" "id:4,phase:1,pass,log"
        SecRule &TX:/^head-/ "@eq 0" "id:5,phase:1,pass,log"
        """;

    [Fact]
    public void Build_AnchoredLiteralOnly_HasAPrefix()
    {
        var rules = RuleSetLoader.LoadText(Rules, "test.conf");

        string? PrefixOf(int id) => rules.Phases[1].Rules.Single(r => r.Id == id).Targets[0].KeyPrefix;

        Assert.Equal("Head_x", PrefixOf(2));
        Assert.Null(PrefixOf(3));
    }

    [Fact]
    public void Run_PrefixAndRegex_SelectTheSameKeysIgnoringAsciiCase()
    {
        var tx = WafTestRequests.Run(Rules);

        Assert.Equal([2, 3, 4, 5], tx.Ids().Order());
    }
}
