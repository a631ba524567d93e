namespace Portcullis.Tests.Acme;

internal static class AcmeTestNames
{
    /// <summary>A host name no other test uses, so no CA-side state (authorizations, orders) leaks between tests.</summary>
    public static string UniqueHost(string label) => $"{label}-{Guid.NewGuid():N}"[..Math.Min(label.Length + 13, 60)] + ".portcullis.example.com";
}
