namespace Portcullis.CrsTest;

/// <summary>The overrides file shipped inside the executable (CrsTest/portcullis-overrides.yaml in the repository).</summary>
internal static class CrsTestOverrides
{
    public const string ResourceName = "Portcullis.CrsTest.portcullis-overrides.yaml";

    public static FtwOverrides Shipped()
    {
        using var stream = typeof(CrsTestOverrides).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return FtwOverrides.Parse(reader.ReadToEnd(), "portcullis-overrides.yaml");
    }
}
