using Microsoft.AspNetCore.Http.Features;

namespace Portcullis.Demo;

/// <summary>Per-request body size limits for the demo's endpoints.</summary>
internal static class DemoRequestBody
{
    /// <summary>
    /// Sets this request's body limit (null = unlimited), replacing Kestrel's 30 MB default. A no-op once the body
    /// has started to be read, when the feature is read-only.
    /// </summary>
    public static void SetLimit(HttpContext context, long? maxBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = maxBytes;
        }
    }
}
