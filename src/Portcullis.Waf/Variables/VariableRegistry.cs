using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Portcullis.Waf.Variables;

/// <summary>SecLang names of the variables (upper case, as ModSecurity spells them) and back.</summary>
internal static class VariableRegistry
{
    private static readonly string[] Names = BuildNames();
    private static readonly Dictionary<string, VariableName> ByName = BuildIndex();

    public static string NameOf(VariableName variable) => Names[(int)variable];

    public static bool TryGet(string name, [NotNullWhen(true)] out VariableName? variable)
    {
        if (ByName.TryGetValue(name, out var found))
        {
            variable = found;
            return true;
        }
        variable = null;
        return false;
    }

    public static bool IsCollection(VariableName variable) => variable < VariableName.FirstSingle;

    public static IEnumerable<string> AllNames => Names;

    // ArgsGetNames -> ARGS_GET_NAMES: the enum is the single list; names derive from it so they cannot drift.
    private static string[] BuildNames()
    {
        var names = new string[(int)VariableName.Count];
        foreach (var text in Enum.GetNames<VariableName>())
        {
            if (text is nameof(VariableName.Count) or nameof(VariableName.FirstSingle))
            {
                continue;
            }
            var value = Enum.Parse<VariableName>(text);
            var builder = new StringBuilder();
            for (var i = 0; i < text.Length; i++)
            {
                if (i > 0 && char.IsUpper(text[i]))
                {
                    builder.Append('_');
                }
                builder.Append(char.ToUpperInvariant(text[i]));
            }
            names[(int)value] = builder.ToString();
        }
        names[(int)VariableName.FilesTmpNames] = "FILES_TMPNAMES";
        return names;
    }

    private static Dictionary<string, VariableName> BuildIndex()
    {
        var index = new Dictionary<string, VariableName>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Names.Length; i++)
        {
            if (Names[i] is { } name)
            {
                index.Add(name, (VariableName)i);
            }
        }
        return index;
    }
}
