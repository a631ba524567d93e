using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>
/// Reads a YAML config strictly into a <see cref="GatewayConfig"/>: unknown keys, wrong types, bad URLs, duplicate
/// sites or hosts and missing certificate files are all errors, reported together with file:line:column.
/// </summary>
internal static class ConfigLoader
{
    /// <summary>The top-level keys that later versions will add; named so a user gets a clear answer, not "unknown key".</summary>
    private static readonly string[] NotYetSupported = ["admin", "defense", "cluster"];

    public static ConfigLoadResult Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ConfigLoadResult(null, [new ConfigError(fullPath, 0, 0, $"cannot read the config file: {ex.Message}")]);
        }
        return Parse(text, fullPath);
    }

    /// <summary>Parses config text; <paramref name="fullPath"/> names the file in errors and anchors relative paths.</summary>
    public static ConfigLoadResult Parse(string text, string fullPath)
    {
        var errors = new ConfigErrorList(fullPath);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            errors.Add(ex.Start, $"not valid YAML: {StripPosition(ex.Message)}");
            return new ConfigLoadResult(null, errors.Errors);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this instead of a YamlException for some unclosed flow collections
            // ("hosts: [a" then "routes: {"), e.g. a file saved mid-edit; it is still the file's fault, not a crash.
            var lines = text.Split('\n');
            errors.Add(new Mark(text.Length, lines.Length, lines[^1].Length + 1), "not valid YAML: a [ ] or { } collection is not closed.");
            return new ConfigLoadResult(null, errors.Errors);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode rootNode)
        {
            errors.Add(new Mark(), "the config must be one YAML mapping (data_dir:, listen:, sites: ...).");
            return new ConfigLoadResult(null, errors.Errors);
        }
        var baseDir = Path.GetDirectoryName(fullPath) ?? Directory.GetCurrentDirectory();
        var root = new YamlMap(rootNode, "config", errors);
        var config = ReadRoot(root, fullPath, baseDir);
        return errors.Count == 0 ? new ConfigLoadResult(config, []) : new ConfigLoadResult(null, errors.Errors);
    }

    private static GatewayConfig ReadRoot(YamlMap root, string fullPath, string baseDir)
    {
        var errors = root.Errors;
        var dataDir = root.String("data_dir") is { Length: > 0 } d ? Path.GetFullPath(d, baseDir) : Path.Combine(baseDir, "portcullis-data");
        var listen = SectionReader.Listen(root.Map("listen"));
        var tls = SectionReader.Tls(root.Map("tls"), baseDir);
        var trusted = SectionReader.TrustedProxies(root.Get("trusted_proxies"), errors);
        var headers = SectionReader.Headers(root.Map("headers"));
        var limits = SectionReader.Limits(root.Map("limits"));
        var clientLimits = ClientLimitsReader.Read(root.Map("client_limits"));
        var proxy = SectionReader.Proxy(root.Map("proxy"));
        var log = SectionReader.Log(root.Map("log"));
        var waf = WafReader.Read(root.Map("waf"), baseDir);
        var sites = SiteReader.ReadAll(root.Required("sites", "add at least one site with name, hosts and routes."), baseDir, new SiteDefaults(waf, tls, listen), errors);
        foreach (var key in NotYetSupported)
        {
            if (root.Get(key) is { } node)
            {
                errors.Add(node, $"config: '{key}' is not supported by this version of Portcullis yet; remove it.");
            }
        }
        root.RejectUnknownKeys();
        return new GatewayConfig
        {
            SourcePath = fullPath,
            DataDir = dataDir,
            Listen = listen,
            Tls = tls,
            TrustedProxies = trusted,
            Headers = headers,
            Limits = limits,
            ClientLimits = clientLimits,
            Proxy = proxy,
            Log = log,
            Waf = waf,
            Sites = sites,
        };
    }

    /// <summary>YamlDotNet puts "(Line: 3, Col: 1, Idx: ...) - (...)" in front of its messages; we report the position ourselves.</summary>
    private static string StripPosition(string message)
    {
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith('(') ? message[(cut + 3)..] : message;
    }
}
