namespace Portcullis.Waf.Rules;

/// <summary>Rule files that did not load, with every error found (loading does not stop at the first).</summary>
public sealed class RuleLoadException(IReadOnlyList<RuleLoadError> errors)
    : Exception(errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} errors in the rules; the first: {errors[0]}")
{
    public IReadOnlyList<RuleLoadError> Errors { get; } = errors;
}
