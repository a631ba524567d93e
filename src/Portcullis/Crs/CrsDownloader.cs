using System.Net;
using System.Security.Cryptography;

namespace Portcullis.Crs;

/// <summary>
/// Copies an archive from an http(s) or file URL into a local file, hashing it on the way and stopping at the size
/// limit, so a source that never ends (or a multi-gigabyte one) cannot fill data_dir before the digest is checked.
/// </summary>
internal static class CrsDownloader
{
    /// <summary>A CRS release is a few MiB; five minutes covers a slow link without hanging a script forever.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Writes the archive to <paramref name="destination"/> and returns its SHA-256 as lowercase hex.</summary>
    public static async Task<string> DownloadAsync(Uri source, string destination, long maxBytes, CancellationToken cancellationToken)
    {
        if (source.IsFile)
        {
            await using var file = OpenLocal(source);
            return await CopyAndHashAsync(file, destination, maxBytes, source, cancellationToken);
        }
        // GitHub answers the tag archive URL with a redirect to codeload; https -> http redirects are never followed.
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 10, AutomaticDecompression = DecompressionMethods.None };
        using var client = new HttpClient(handler) { Timeout = Timeout };
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new CrsFetchException($"cannot download {source}: {e.Message}", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new CrsFetchException($"cannot download {source}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
            {
                throw new CrsFetchException($"refusing {source}: it is {length} bytes, more than the {maxBytes}-byte limit for a CRS archive.");
            }
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                return await CopyAndHashAsync(body, destination, maxBytes, source, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && e is not CrsFetchException && !cancellationToken.IsCancellationRequested)
            {
                throw new CrsFetchException($"cannot download {source}: {e.Message}", e);
            }
        }
    }

    private static FileStream OpenLocal(Uri source)
    {
        try
        {
            return new FileStream(source.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CrsFetchException($"cannot read {source.LocalPath}: {e.Message}", e);
        }
    }

    private static async Task<string> CopyAndHashAsync(Stream input, string destination, long maxBytes, Uri source, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new CrsFetchException($"refusing {source}: it is more than the {maxBytes}-byte limit for a CRS archive.");
            }
            hash.AppendData(buffer, 0, read);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
