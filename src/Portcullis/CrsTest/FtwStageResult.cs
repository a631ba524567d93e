namespace Portcullis.CrsTest;

/// <summary>One executed stage: its verdict and what was observed.</summary>
/// <param name="Retried">Whether the verdict is from a second run (<c>retry_once</c>).</param>
internal sealed record FtwStageResult(int Index, FtwVerdict Verdict, int? Status, string? Error, bool Retried);
