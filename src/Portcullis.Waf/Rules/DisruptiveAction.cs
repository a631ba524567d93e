namespace Portcullis.Waf.Rules;

/// <summary>What a matching rule does to the transaction (ModSecurity v2's disruptive actions).</summary>
internal enum DisruptiveAction
{
    /// <summary>Not written on the rule: the phase's SecDefaultAction decides.</summary>
    Unset,
    Pass,
    /// <summary>Whatever the phase's SecDefaultAction says (CRS anomaly mode: log and pass).</summary>
    Block,
    Deny,
    Drop,
    Allow,
}
