using Portcullis.Waf.Variables;

namespace Portcullis.Waf.Rules;

/// <summary>
/// A rule head's answer known when the rule set is built (<see cref="SetupFolding"/>): whether it matches, and what it
/// then sets MATCHED_VAR and MATCHED_VAR_NAME to.
/// </summary>
internal sealed record FoldedGate(bool Matches, VariableValue Value, string FullName);
