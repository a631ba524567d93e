using System.Text;
using Portcullis.Waf.Operators.Prefilter;
using Portcullis.Waf.Tests.Detection.Support;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Waf.Tests.Operators.Prefilter;

/// <summary>
/// Strings that CRS regexes match, to test the prefilter's soundness on: the request parts of every CRS regression
/// test (uri, data, header values, encoded_request) and every payload of ../shared/attacks, each raw and URL-decoded,
/// as written and ASCII-lowercased (many CRS patterns are lowercase and rely on t:lowercase). Values are bytes as
/// Latin-1 chars, deduplicated.
/// </summary>
internal static class SampleValues
{
    public static IReadOnlyList<string> Load()
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in RegressionParts().Concat(AttackPayloads()))
        {
            AddVariants(values, raw);
        }
        return [.. values];
    }

    private static void AddVariants(HashSet<string> values, string raw)
    {
        var decoded = ModSecTransforms.UrlDecode(raw);
        foreach (var value in new[] { raw, decoded, AsciiCase.Lower(raw), AsciiCase.Lower(decoded) })
        {
            // Inspected values hold bytes only (notes/waf.md §2).
            if (value.Length > 0 && !value.Any(c => c > 0xFF))
            {
                values.Add(value);
            }
        }
    }

    private static IEnumerable<string> AttackPayloads()
    {
        foreach (var file in Directory.GetFiles(AttackCorpus.Directory(), "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var record in AttackCorpus.Read(Path.GetFileName(file)))
            {
                yield return ModSecTransforms.Bytes(record.Payload);
            }
        }
    }

    private static IEnumerable<string> RegressionParts()
    {
        var root = Path.Combine(CrsDirectoryLocator.Find(), "tests", "regression", "tests");
        foreach (var file in Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var yaml = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                yaml.Load(reader);
            }
            foreach (var document in yaml.Documents)
            {
                foreach (var part in Parts(document.RootNode))
                {
                    yield return part;
                }
            }
        }
    }

    /// <summary>The scalars under the request keys of a go-ftw test, wherever they sit in the tree.</summary>
    private static IEnumerable<string> Parts(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var name = (key as YamlScalarNode)?.Value;
                    if (value is YamlScalarNode { Value: { } text } && name is "uri" or "data" or "encoded_request")
                    {
                        yield return name == "encoded_request" ? Decode64(text) : ModSecTransforms.Bytes(text);
                    }
                    else if (name == "headers" && value is YamlMappingNode headers)
                    {
                        foreach (var header in headers.Children.Values.OfType<YamlScalarNode>())
                        {
                            yield return ModSecTransforms.Bytes(header.Value ?? string.Empty);
                        }
                    }
                    else
                    {
                        foreach (var part in Parts(value))
                        {
                            yield return part;
                        }
                    }
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var part in sequence.Children.SelectMany(Parts))
                {
                    yield return part;
                }
                break;
        }
    }

    private static string Decode64(string text)
    {
        try
        {
            return Encoding.Latin1.GetString(Convert.FromBase64String(text.Trim()));
        }
        catch (FormatException)
        {
            return string.Empty;
        }
    }
}
