namespace Portcullis.Waf.Variables;

/// <summary>A count of changes several collections add to (see <see cref="VariableStore"/>): it only goes up.</summary>
internal sealed class ChangeCounter
{
    public int Value;
}
