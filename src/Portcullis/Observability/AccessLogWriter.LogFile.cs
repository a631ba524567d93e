using System.Globalization;

namespace Portcullis.Observability;

internal sealed partial class AccessLogWriter
{
    // Operators and their log shipper (group adm/syslog) may read the log; nobody else: it holds client addresses.
    private const UnixFileMode FileMode0640 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
    private const UnixFileMode DirectoryMode0750 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    // Stray access.log.N beyond KeepFiles (left by a larger KeepFiles before a restart) are cleaned up to this many.
    private const int MaxStrayFiles = 100;

    private FileStream OpenFile()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            // Read so operators can tail -f the live file while we write it.
            Share = FileShare.Read,
            BufferSize = 64 * 1024,
        };

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(_logsDirectory);
        }
        else
        {
            Directory.CreateDirectory(_logsDirectory, DirectoryMode0750);
            options.UnixCreateMode = FileMode0640;
        }

        var file = new FileStream(_path, options);
        _fileLength = file.Length;
        _rotateAt = _config.MaxFileSize;
        return file;
    }

    private void CloseFile()
    {
        var file = _file;
        _file = null;
        try
        {
            file?.Dispose();
        }
        catch (Exception ex)
        {
            // Dispose flushes; a full disk fails here too. The handle is released either way.
            if (TryPassGate(ref _nextWriteError))
                Log.WriteFailed(_logger, _path, ex);
        }
    }

    /// <summary>
    /// Closes access.log, shifts access.log.N → access.log.N+1 (deleting what would pass KeepFiles), renames
    /// access.log → access.log.1 and opens a fresh access.log. A failed rename keeps writing to the old file
    /// rather than losing lines, and is retried only after another MaxFileSize.
    /// </summary>
    private void Rotate()
    {
        CloseFile();
        var failed = false;
        try
        {
            var keep = Math.Max(0, _config.KeepFiles);

            // Only walk the files that exist, so a large KeepFiles costs nothing until the files are there.
            var top = 0;
            while (top < keep && File.Exists(RotatedPath(top + 1)))
                top++;

            for (var n = top; n >= 1; n--)
            {
                if (n == keep)
                    File.Delete(RotatedPath(n));
                else
                    File.Move(RotatedPath(n), RotatedPath(n + 1), overwrite: true);
            }

            if (keep == 0)
                File.Delete(_path);
            else
                File.Move(_path, RotatedPath(1), overwrite: true);

            for (var n = keep + 1; n <= keep + MaxStrayFiles && File.Exists(RotatedPath(n)); n++)
                File.Delete(RotatedPath(n));
        }
        catch (Exception ex)
        {
            // Not rate-limited: a failed rotation is retried only after another MaxFileSize, so it cannot flood.
            failed = true;
            Log.RotateFailed(_logger, _path, ex);
        }

        _file = OpenFile();
        if (failed)
            _rotateAt = _fileLength + _config.MaxFileSize;
    }

    private string RotatedPath(int n) => string.Create(CultureInfo.InvariantCulture, $"{_path}.{n}");
}
