namespace Portcullis.Waf.Transactions;

/// <summary>
/// The engine's verdict to stop the transaction: answer <see cref="Status"/> (<c>deny</c>) or close the connection
/// (<c>drop</c>), because rule <see cref="RuleId"/> matched in <see cref="Phase"/>.
/// </summary>
public sealed record Interruption(int Status, int RuleId, string Action, Phase Phase);
