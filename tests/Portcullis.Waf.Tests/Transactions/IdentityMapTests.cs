using Portcullis.Waf.Transactions;

namespace Portcullis.Waf.Tests.Transactions;

/// <summary>The per-value caches' map compares keys by reference, grows, and forgets everything when cleared.</summary>
public sealed class IdentityMapTests
{
    [Fact]
    public void TryGetValue_EqualContentOtherObject_IsNotFound()
    {
        var map = new IdentityMap<StringReference, int>();
        var stored = new string('a', 5);
        map.Set(new StringReference(stored), 1);

        Assert.True(map.TryGetValue(new StringReference(stored), out var value));
        Assert.Equal(1, value);
        Assert.False(map.TryGetValue(new StringReference(new string('a', 5)), out _));
    }

    [Fact]
    public void Set_PastTheFirstCapacity_KeepsEveryValue()
    {
        var map = new IdentityMap<StringReference, int>(capacity: 4);
        var keys = Enumerable.Range(0, 5_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        for (var i = 0; i < keys.Length; i++)
        {
            map.Set(new StringReference(keys[i]), i);
        }

        Assert.Equal(keys.Length, map.Count);
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.True(map.TryGetValue(new StringReference(keys[i]), out var value));
            Assert.Equal(i, value);
        }
    }

    [Fact]
    public void Set_KeyAlreadyThere_ReplacesItsValue()
    {
        var map = new IdentityMap<StringReference, string>();
        var key = new StringReference("k");

        map.Set(key, "first");
        map.Set(key, "second");

        Assert.Equal(1, map.Count);
        Assert.True(map.TryGetValue(key, out var value));
        Assert.Equal("second", value);
    }

    [Fact]
    public void Clear_AfterGrowth_ForgetsEveryKeyAndTakesNewOnes()
    {
        var map = new IdentityMap<StringReference, int>(capacity: 4);
        var old = Enumerable.Range(0, 100).Select(i => $"old{i}").ToArray();
        foreach (var key in old)
        {
            map.Set(new StringReference(key), 1);
        }

        map.Clear();
        var fresh = Enumerable.Range(0, 100).Select(i => $"new{i}").ToArray();
        for (var i = 0; i < fresh.Length; i++)
        {
            map.Set(new StringReference(fresh[i]), i);
        }

        Assert.Equal(fresh.Length, map.Count);
        Assert.All(old, key => Assert.False(map.TryGetValue(new StringReference(key), out _)));
        Assert.All(fresh.Select((key, i) => (key, i)), pair =>
        {
            Assert.True(map.TryGetValue(new StringReference(pair.key), out var value));
            Assert.Equal(pair.i, value);
        });
    }

    [Fact]
    public void Set_EmptyKey_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new IdentityMap<StringReference, int>().Set(default, 1));
}
