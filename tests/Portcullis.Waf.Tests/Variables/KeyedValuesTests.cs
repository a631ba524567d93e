using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Tests.Variables;

/// <summary>The key index is built on the first keyed use; every answer must be what an index kept from the start gives.</summary>
public sealed class KeyedValuesTests
{
    [Fact]
    public void Get_AfterAddsWithoutIndex_FindsTheFirstValueIgnoringCase()
    {
        var values = new KeyedValues();
        values.Add("Accept", "a");
        values.Add("accept", "b");
        values.Add("Host", "h");

        Assert.True(values.HasRepeatedKeys);
        Assert.Equal("a", values.Get("ACCEPT"));
        Assert.Equal(2, values.IndexOf("host"));
        Assert.Equal(-1, values.IndexOf("missing"));
    }

    [Fact]
    public void Add_AfterTheIndexIsBuilt_KeepsItCurrent()
    {
        var values = new KeyedValues();
        values.Add("a", "1");
        Assert.False(values.HasRepeatedKeys);

        values.Add("b", "2");
        values.Add("A", "3");

        Assert.True(values.HasRepeatedKeys);
        Assert.Equal(1, values.IndexOf("B"));
        Assert.Equal("1", values.Get("a"));
    }

    [Fact]
    public void Set_OverRepeatedKeysAddedWithoutIndex_LeavesOneValue()
    {
        var values = new KeyedValues();
        values.Add("x", "1");
        values.Add("y", "2");
        values.Add("X", "3");

        values.Set("x", "4");

        Assert.Equal([new("x", "4"), new("y", "2")], values.Items);
        Assert.False(values.HasRepeatedKeys);
    }

    [Fact]
    public void Clear_ThenAdd_ForgetsTheOldKeys()
    {
        var values = new KeyedValues();
        values.Set("old", "1");
        values.Clear();
        values.Add("new", "2");

        Assert.Null(values.Get("old"));
        Assert.Equal("2", values.Get("NEW"));
        Assert.False(values.HasRepeatedKeys);
    }

    [Fact]
    public void Remove_WithoutIndex_RemovesEveryValueUnderTheKey()
    {
        var values = new KeyedValues();
        values.Add("k", "1");
        values.Add("K", "2");
        values.Add("other", "3");

        Assert.True(values.Remove("k"));
        Assert.Equal([new("other", "3")], values.Items);
        Assert.Equal(0, values.IndexOf("other"));
    }
}
