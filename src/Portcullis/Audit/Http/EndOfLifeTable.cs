namespace Portcullis.Audit.Http;

/// <summary>
/// Server software versions past their upstream end of life, for the banner check. Data, not logic: one row says
/// "every version of Product below Before is unsupported since Since". A row applies only once its date has passed,
/// so the table can list announced dates. Distributions (Debian, RHEL) backport security fixes into old versions;
/// the finding says so.
/// </summary>
internal static class EndOfLifeTable
{
    /// <summary>When the rows below were last checked against the projects' own pages.</summary>
    public static readonly DateOnly AsOf = new(2026, 11, 27);

    public static IReadOnlyList<EndOfLifeRow> Rows { get; } =
    [
        // nginx: a stable branch (even minor) ends when the next one is released each April; a mainline (odd) ends at
        // the same moment (nginx.org/en/download.html, release announcements 1.24.0 2023-04-11, 1.26.0 2024-04-23, 1.28.0 2025-04-23).
        new("nginx", new Version(1, 24), new DateOnly(2023, 4, 11), "1.22 and older"),
        new("nginx", new Version(1, 26), new DateOnly(2024, 4, 23), "1.24/1.25"),
        new("nginx", new Version(1, 28), new DateOnly(2025, 4, 23), "1.26/1.27"),
        // Apache httpd: 2.2 ended with 2.2.34 in 2017 (httpd.apache.org, "Apache 2.2 End-of-Life").
        new("apache", new Version(2, 4), new DateOnly(2017, 12, 31), "2.2 and older"),
        // PHP: php.net/eol.php and supported-versions.php.
        new("php", new Version(8, 0), new DateOnly(2022, 11, 28), "7.4 and older"),
        new("php", new Version(8, 1), new DateOnly(2023, 11, 26), "8.0"),
        new("php", new Version(8, 2), new DateOnly(2025, 12, 31), "8.1"),
        new("php", new Version(8, 3), new DateOnly(2026, 12, 31), "8.2"),
        // OpenSSL: openssl-library.org/policies/releasestrat (3.0 LTS to 2026-09-07; non-LTS up to 3.4: two years).
        new("openssl", new Version(1, 1, 1), new DateOnly(2019, 12, 31), "1.0.2 and older"),
        new("openssl", new Version(3, 0), new DateOnly(2023, 9, 11), "1.1.1"),
        new("openssl", new Version(3, 1), new DateOnly(2026, 9, 7), "3.0 LTS"),
        new("openssl", new Version(3, 2), new DateOnly(2025, 3, 14), "3.1"),
        new("openssl", new Version(3, 3), new DateOnly(2025, 11, 23), "3.2"),
        new("openssl", new Version(3, 4), new DateOnly(2026, 4, 9), "3.3"),
        new("openssl", new Version(3, 5), new DateOnly(2026, 10, 22), "3.4"),
        // IIS ships with Windows Server: 7.5 with 2008 R2 (ended 2020-01-14), 8.0/8.5 with 2012/2012 R2 (ended 2023-10-10).
        new("microsoft-iis", new Version(8, 0), new DateOnly(2020, 1, 14), "IIS 7.5 and older (Windows Server 2008 R2)"),
        new("microsoft-iis", new Version(10, 0), new DateOnly(2023, 10, 10), "IIS 8.0/8.5 (Windows Server 2012/2012 R2)"),
        // X-AspNet-Version 1.x: .NET Framework 1.0/1.1 (1.1 SP1 ended 2015-10-14). 2.0.50727 may be 3.5 SP1, still supported.
        new("x-aspnet-version", new Version(2, 0), new DateOnly(2015, 10, 14), ".NET Framework 1.x"),
    ];

    /// <summary>The row that puts <paramref name="version"/> of <paramref name="product"/> past its end of life on <paramref name="today"/>, or null.</summary>
    public static EndOfLifeRow? Find(string product, Version version, DateOnly today) =>
        Rows.Where(r => r.Product.Equals(product, StringComparison.OrdinalIgnoreCase) && version < r.Before)
            .OrderBy(r => r.Before)
            .FirstOrDefault() is { } row && row.Since <= today
            ? row
            : null;
}

/// <summary>Versions of <paramref name="Product"/> below <paramref name="Before"/> are unsupported since <paramref name="Since"/>.</summary>
internal sealed record EndOfLifeRow(string Product, Version Before, DateOnly Since, string Branches);
