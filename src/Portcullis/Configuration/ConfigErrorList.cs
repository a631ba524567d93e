using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portcullis.Configuration;

/// <summary>Collects errors while a config is read; every check runs, nothing short-circuits (STYLE.md).</summary>
internal sealed class ConfigErrorList(string file)
{
    private readonly List<ConfigError> _errors = [];

    public string File { get; } = file;

    public IReadOnlyList<ConfigError> Errors => _errors;

    public int Count => _errors.Count;

    public void Add(YamlNode node, string message) => Add(node.Start, message);

    public void Add(Mark mark, string message) => _errors.Add(new ConfigError(File, (int)mark.Line, (int)mark.Column, message));
}
