namespace Portcullis.Demo;

/// <summary>An item of the demo's JSON API (<c>/api/items</c>) and of the fixed catalogue the search page filters.</summary>
internal sealed record DemoItem(int Id, string Name, decimal Price);
