namespace Portcullis.Audit.Grading;

/// <summary>One row of the Observatory's score table: the test it belongs to, its points and what it means.</summary>
/// <param name="Test">The Observatory test name, e.g. <c>content-security-policy</c>.</param>
/// <param name="Modifier">Points added to the starting 100; positive values are bonuses (counted only at ≥ 90).</param>
/// <param name="Description">One line in our words.</param>
internal sealed record ObservatoryScore(string Test, int Modifier, string Description);
