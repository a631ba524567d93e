using System.Globalization;
using System.Text.Json;

namespace Portcullis.Demo;

/// <summary>The demo's JSON API over <see cref="DemoItemStore"/>: list, get and create items.</summary>
internal sealed class DemoApiHandlers(DemoItemStore store)
{
    // An item is a name and a price; 64 KiB is generous and keeps a hostile body from being parsed at length.
    private const long ItemBodyLimit = 64 * 1024;
    private const int MaxNameLength = 100;
    private const decimal MaxPrice = 1_000_000m;

    public Task ListAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(store.GetAll(), DemoJsonContext.Default.DemoItemArray, contentType: null, context.RequestAborted);

    public Task GetAsync(HttpContext context)
    {
        var rawId = context.Request.RouteValues["id"] as string;
        if (!int.TryParse(rawId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || store.Find(id) is not { } item)
        {
            return ErrorAsync(context, StatusCodes.Status404NotFound, $"No item with id '{rawId}'.");
        }

        return context.Response.WriteAsJsonAsync(item, DemoJsonContext.Default.DemoItem, contentType: null, context.RequestAborted);
    }

    public async Task CreateAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            await ErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "Send the item as application/json.");
            return;
        }

        DemoRequestBody.SetLimit(context, ItemBodyLimit);
        DemoItemRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync(DemoJsonContext.Default.DemoItemRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "The body is not a JSON object like {\"name\": \"Teacup\", \"price\": 4.5}.");
            return;
        }
        catch (BadHttpRequestException ex)
        {
            await ErrorAsync(context, ex.StatusCode, "The request body could not be read.");
            return;
        }

        if (Validate(request) is { } problem)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, problem);
            return;
        }

        if (store.TryAdd(request!.Name!, request.Price!.Value) is not { } item)
        {
            // 507: the server cannot store the representation (RFC 4918 §11.5), which is exactly the situation.
            await ErrorAsync(context, StatusCodes.Status507InsufficientStorage, $"The demo keeps at most {DemoItemStore.Capacity} items.");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/api/items/{item.Id.ToString(CultureInfo.InvariantCulture)}";
        await context.Response.WriteAsJsonAsync(item, DemoJsonContext.Default.DemoItem, contentType: null, context.RequestAborted);
    }

    /// <summary>Names every problem with the request, or null when it is valid.</summary>
    private static string? Validate(DemoItemRequest? request)
    {
        if (request is null)
        {
            return "The body must be a JSON object, not null.";
        }

        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            problems.Add("'name' is required and must not be blank.");
        }
        else if (request.Name.Length > MaxNameLength)
        {
            problems.Add($"'name' must be at most {MaxNameLength} characters.");
        }

        if (request.Price is not { } price)
        {
            problems.Add("'price' is required.");
        }
        else if (price is < 0 or > MaxPrice)
        {
            problems.Add($"'price' must be between 0 and {MaxPrice.ToString(CultureInfo.InvariantCulture)}.");
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private static Task ErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(new DemoError(message), DemoJsonContext.Default.DemoError, contentType: null, context.RequestAborted);
    }
}
