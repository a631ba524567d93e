using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;

namespace Portcullis.Demo;

/// <summary>
/// <c>/download</c> and <c>/upload</c>: large bodies in both directions, streamed through one fixed buffer so a
/// 1 GiB transfer uses the same memory as a 1 KiB one.
/// </summary>
internal static class DemoTransferHandlers
{
    private const int OneMiB = 1024 * 1024;

    // A multiple of 8 (DemoPayload works in 64-bit words) that divides 1 MiB, and below the 85,000-byte
    // large-object-heap threshold.
    private const int BufferSize = 64 * 1024;

    // 1 GiB: enough to exercise the gateway's streaming and limits without filling a disk by accident.
    private const int MaxDownloadMiB = 1024;

    public static async Task DownloadAsync(HttpContext context)
    {
        if (!DemoQuery.TryGetClampedInt(context.Request, "mb", defaultValue: 1, MaxDownloadMiB, out var mebibytes))
        {
            await DemoHtml.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad size",
                DemoPages.Message("Bad size", $"mb must be a whole number of MiB; values above {MaxDownloadMiB} are capped."));
            return;
        }

        var length = (long)mebibytes * OneMiB;
        var response = context.Response;
        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        response.Headers.ContentDisposition =
            $"attachment; filename=\"portcullis-demo-{mebibytes.ToString(CultureInfo.InvariantCulture)}MiB.bin\"";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var payload = new DemoPayload();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var chunk = buffer.AsMemory(0, BufferSize);
            for (long sent = 0; sent < length; sent += BufferSize)
            {
                payload.Fill(chunk.Span);

                // Kestrel copies the bytes into its output pipe before this completes, so the buffer can be refilled.
                await response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static async Task UploadAsync(HttpContext context)
    {
        // The gateway in front enforces the body limit; here a limit would only hide the gateway's.
        DemoRequestBody.SetLimit(context, maxBytes: null);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer.AsMemory(0, BufferSize), context.RequestAborted)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var result = new DemoUploadResult(total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        await context.Response.WriteAsJsonAsync(result, DemoJsonContext.Default.DemoUploadResult, contentType: null, context.RequestAborted);
    }
}
