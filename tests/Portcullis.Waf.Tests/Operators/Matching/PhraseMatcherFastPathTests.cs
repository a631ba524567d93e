using Portcullis.Waf.Operators.Matching;

namespace Portcullis.Waf.Tests.Operators.Matching;

/// <summary>The vectorized "any phrase?" answer agrees with the automaton on every CRS data file.</summary>
public class PhraseMatcherFastPathTests
{
    [Fact]
    public void ContainsAny_CrsDataFilesAndProbes_AgreesWithTryMatch()
    {
        var random = new Random(42);
        var files = Directory.GetFiles(Path.Combine(CrsDirectoryLocator.Find(), "rules"), "*.data");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var phrases = PhraseFile.Read(file);
            var matcher = new PhraseMatcher(phrases);
            var probes = new List<string>();
            foreach (var phrase in phrases.Take(50))
            {
                probes.Add("x " + phrase.ToUpperInvariant() + " y");
                probes.Add(phrase.Length > 1 ? phrase[..^1] : "");
            }
            for (var i = 0; i < 200; i++)
            {
                probes.Add(new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0x20, 0x100))]));
            }
            foreach (var probe in probes)
            {
                Assert.True(matcher.TryMatch(probe, out _) == matcher.ContainsAny(probe), $"{Path.GetFileName(file)}: '{probe}'");
            }
        }
    }
}
