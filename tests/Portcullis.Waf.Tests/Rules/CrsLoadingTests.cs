using Portcullis.Waf.Rules;
using Xunit.Abstractions;

namespace Portcullis.Waf.Tests.Rules;

public class CrsLoadingTests(ITestOutputHelper output)
{
    [Fact]
    public void LoadCrs_Setup_AndAllRules_LoadWithoutErrors()
    {
        var crs = CrsDirectoryLocator.Find();
        RuleSet rules;
        try
        {
            rules = RuleSetLoader.LoadCrs(crs);
        }
        catch (RuleLoadException e)
        {
            foreach (var error in e.Errors.Take(40))
            {
                output.WriteLine(error.ToString());
            }
            throw;
        }

        // 622 chain heads and standalone SecRules, 8 SecActions (notes/waf.md §1), minus nothing removed by the setup.
        Assert.Equal(622 + 8, rules.RuleCount);
    }
}
