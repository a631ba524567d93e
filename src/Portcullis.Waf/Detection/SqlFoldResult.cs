namespace Portcullis.Waf.Detection;

/// <summary>What folding one reading produced besides the tokens.</summary>
/// <param name="Count">Folded tokens in the buffer (at most <see cref="SqlFolder.MaxTokens"/>).</param>
/// <param name="TokensSeen">Tokens read before folding (comments included): little folding means little SQL.</param>
/// <param name="SawMySqlAmbiguity">The reading met a comment MySQL would read differently.</param>
internal readonly record struct SqlFoldResult(int Count, int TokensSeen, bool SawMySqlAmbiguity);
