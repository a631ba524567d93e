using Portcullis.Demo;

namespace Portcullis.Tests.Demo;

public sealed class DemoItemStoreTests
{
    [Fact]
    public void TryAdd_AfterSeed_UsesNextId()
    {
        var store = new DemoItemStore([new DemoItem(7, "Seeded", 1m)]);

        var added = store.TryAdd("Added", 2m);

        Assert.Equal(new DemoItem(8, "Added", 2m), added);
        Assert.Equal([7, 8], store.GetAll().Select(i => i.Id));
    }

    [Fact]
    public void TryAdd_AtCapacity_ReturnsNull()
    {
        var store = new DemoItemStore([]);
        for (var i = 0; i < DemoItemStore.Capacity; i++)
        {
            Assert.NotNull(store.TryAdd($"item {i}", i));
        }

        Assert.Null(store.TryAdd("one too many", 1m));
        Assert.Equal(DemoItemStore.Capacity, store.GetAll().Length);
    }

    [Fact]
    public void TryAdd_Concurrently_AssignsUniqueIdsUpToCapacity()
    {
        var store = new DemoItemStore([]);

        var added = new DemoItem?[DemoItemStore.Capacity + 200];
        Parallel.For(0, added.Length, i => added[i] = store.TryAdd($"item {i}", 1m));

        var ids = added.OfType<DemoItem>().Select(i => i.Id).ToArray();
        Assert.Equal(DemoItemStore.Capacity, ids.Length);
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Find_UnknownId_ReturnsNull()
    {
        var store = new DemoItemStore(DemoCatalog.Products);

        Assert.Null(store.Find(12345));
        Assert.Equal(DemoCatalog.Products[0], store.Find(DemoCatalog.Products[0].Id));
    }
}
