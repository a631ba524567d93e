namespace Portcullis.Crs;

/// <summary>
/// <c>portcullis crs fetch</c>'s work: download, verify the SHA-256, unpack, check, then swap into
/// <c>data_dir/crs</c>. Everything happens in a private folder inside data_dir (same file system, so the final move is a
/// rename) that is removed afterwards; any failure before the swap leaves data_dir/crs as it was.
/// </summary>
internal static class CrsFetcher
{
    public const string InstallFolder = "crs";

    /// <summary>Installs the release; throws <see cref="CrsFetchException"/> with a message for the user when it cannot.</summary>
    public static async Task<CrsFetchResult> FetchAsync(CrsFetchRequest request, CancellationToken cancellationToken)
    {
        var dataDir = Path.GetFullPath(request.DataDir);
        var installed = Path.Combine(dataDir, InstallFolder);
        var work = Path.Combine(dataDir, ".crs-fetch-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            Directory.CreateDirectory(work);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CrsFetchException($"cannot write to data_dir {dataDir}: {e.Message}", e);
        }
        try
        {
            var archive = Path.Combine(work, "archive");
            var actual = await CrsDownloader.DownloadAsync(request.Source, archive, request.Limits.MaxDownloadBytes, cancellationToken);
            if (!string.Equals(actual, request.Sha256, StringComparison.Ordinal))
            {
                throw new CrsFetchException($"SHA-256 mismatch for {request.Source}: expected {request.Sha256}, got {actual}. Nothing was installed.");
            }
            var staged = Path.Combine(work, InstallFolder);
            var target = new CrsUnpackTarget(staged, request.Limits);
            CrsArchiveExtractor.Extract(archive, target);
            var ruleFiles = CrsLayout.Check(staged);
            var setupCreated = CrsInstaller.PrepareSetup(staged, installed);
            var previous = CrsInstaller.Swap(staged, installed);
            return new CrsFetchResult
            {
                CrsDirectory = installed,
                ArchiveTopFolder = target.TopFolder ?? "",
                RuleFileCount = ruleFiles,
                UnpackedBytes = target.Bytes,
                PreviousDirectory = previous,
                SetupCreatedFromExample = setupCreated,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CrsFetchException($"cannot install into {installed}: {e.Message}", e);
        }
        finally
        {
            TryDelete(work);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover .crs-fetch-* folder wastes space but does no harm; the fetch result matters more.
        }
    }
}
