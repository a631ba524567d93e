namespace Portcullis.Waf.Variables;

/// <summary>
/// One stored list a target reads its values from: the values or the keys (<see cref="Names"/>) of a stored
/// collection, or a single variable (<see cref="IsSingle"/>). ARGS is the values of ARGS_GET then ARGS_POST,
/// ARGS_NAMES their keys, REQUEST_HEADERS_NAMES the keys of REQUEST_HEADERS: <see cref="Of"/> is that mapping, the
/// one <see cref="VariableStore.Collect"/> follows.
/// </summary>
internal readonly record struct ValuePart(VariableName Source, bool Names)
{
    private static readonly ValuePart[][] Parts = Build();

    /// <summary>Distinct per part, below <see cref="IdCount"/>: an index for per-part tables.</summary>
    public int Id => ((int)Source * 2) + (Names ? 1 : 0);

    public static int IdCount => (int)VariableName.Count * 2;

    public bool IsSingle => !VariableRegistry.IsCollection(Source);

    /// <summary>Where <paramref name="variable"/>'s values are stored, in the order a target lists them.</summary>
    public static ValuePart[] Of(VariableName variable) => Parts[(int)variable];

    private static ValuePart[][] Build()
    {
        var parts = new ValuePart[(int)VariableName.Count][];
        for (var variable = (VariableName)0; variable < VariableName.Count; variable++)
        {
            parts[(int)variable] = variable switch
            {
                VariableName.Args => [new(VariableName.ArgsGet, false), new(VariableName.ArgsPost, false)],
                VariableName.ArgsNames => [new(VariableName.ArgsGet, true), new(VariableName.ArgsPost, true)],
                VariableName.ArgsGetNames => [new(VariableName.ArgsGet, true)],
                VariableName.ArgsPostNames => [new(VariableName.ArgsPost, true)],
                VariableName.RequestHeadersNames => [new(VariableName.RequestHeaders, true)],
                VariableName.RequestCookiesNames => [new(VariableName.RequestCookies, true)],
                VariableName.ResponseHeadersNames => [new(VariableName.ResponseHeaders, true)],
                VariableName.MatchedVarsNames => [new(VariableName.MatchedVars, true)],
                _ => [new(variable, false)],
            };
        }
        return parts;
    }
}
