namespace Portcullis.Waf.Variables;

/// <summary>
/// One value a rule target selected: the variable, its key (null for single variables and counts) and the value
/// (Latin-1 bytes). The display name (<c>ARGS:id</c>, what MATCHED_VAR_NAME holds) is built only on a match.
/// </summary>
internal readonly record struct VariableValue(VariableName Variable, string? Key, string Value)
{
    public string FullName => Key is null ? VariableRegistry.NameOf(Variable) : VariableRegistry.NameOf(Variable) + ":" + Key;
}
