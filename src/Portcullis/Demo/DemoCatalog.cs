namespace Portcullis.Demo;

/// <summary>The fixed, made-up product list behind the search page and the API's initial items.</summary>
internal static class DemoCatalog
{
    public static IReadOnlyList<DemoItem> Products { get; } =
    [
        new(1, "Brass desk lamp", 49.90m),
        new(2, "Oak bookshelf", 189.00m),
        new(3, "Wool throw blanket", 59.50m),
        new(4, "Ceramic teapot", 24.00m),
        new(5, "Cast-iron skillet", 39.95m),
        new(6, "Linen tablecloth", 32.00m),
        new(7, "Copper kettle", 64.00m),
        new(8, "Walnut cutting board", 29.90m),
    ];

    /// <summary>Products whose name contains <paramref name="query"/>, ignoring case; all of them for an empty query.</summary>
    public static IReadOnlyList<DemoItem> Search(string? query) =>
        string.IsNullOrWhiteSpace(query)
            ? Products
            : Products.Where(p => p.Name.Contains(query.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray();
}
