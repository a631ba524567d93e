using System.Runtime.CompilerServices;

namespace Portcullis.Waf.Detection;

/// <summary>Fixed room for the folding window, kept on the stack so the benign path allocates nothing.</summary>
[InlineArray(Capacity)]
internal struct SqlTokenBuffer
{
    public const int Capacity = 12;

    private SqlToken _first;
}
