namespace Portcullis.Crs;

/// <summary>
/// Puts a checked CRS folder in place as <c>data_dir/crs</c>. The old one is renamed to <c>data_dir/crs.previous</c>
/// (replacing an older crs.previous), so a bad upgrade can be undone by hand with two renames. Both moves are
/// renames within data_dir, so each is atomic; a reader sees the old tree or the new one, never a half-copied one
/// (there is only a moment between the two renames when <c>crs</c> is absent, and the gateway reads the rules only
/// at start and reload).
/// </summary>
internal static class CrsInstaller
{
    public const string PreviousSuffix = ".previous";

    /// <summary>
    /// Gives <paramref name="staged"/> its crs-setup.conf: the user's own from the installed version when there is
    /// one (it holds their settings, e.g. paranoia level), else a copy of the example, as CRS's INSTALL says to do.
    /// Returns true when the example was copied.
    /// </summary>
    public static bool PrepareSetup(string staged, string installed)
    {
        var target = Path.Combine(staged, CrsLayout.Setup);
        var users = Path.Combine(installed, CrsLayout.Setup);
        if (File.Exists(users))
        {
            File.Copy(users, target, overwrite: true);
            return false;
        }
        if (File.Exists(target))
        {
            return false;
        }
        File.Copy(Path.Combine(staged, CrsLayout.SetupExample), target);
        return true;
    }

    /// <summary>Moves <paramref name="staged"/> to <paramref name="installed"/>; returns where the old version went, or null.</summary>
    public static string? Swap(string staged, string installed)
    {
        var previous = installed + PreviousSuffix;
        string? kept = null;
        if (Directory.Exists(installed) || File.Exists(installed))
        {
            if (Directory.Exists(previous))
            {
                Directory.Delete(previous, recursive: true);
            }
            else if (File.Exists(previous))
            {
                File.Delete(previous);
            }
            Directory.Move(installed, previous);
            kept = previous;
        }
        try
        {
            Directory.Move(staged, installed);
        }
        catch (IOException) when (kept is not null)
        {
            // Put the old version back so a failed install leaves what was there.
            Directory.Move(previous, installed);
            throw;
        }
        return kept;
    }
}
