namespace Portcullis.Audit.Grading;

/// <summary>
/// The HTTP Observatory score and letter (shared/notes/tls.md §4; mdn/mdn-http-observatory src/scanner/index.js and
/// src/grader): start at 100, add every penalty; add the bonuses only when the score without them is at least 90
/// (so bonuses lift a good site to A+ but never hide a missing CSP); floor at 0, round down to a multiple of 5, and
/// look the letter up with the score capped at 100.
/// </summary>
internal static class ObservatoryGrader
{
    /// <summary>The Observatory's MINIMUM_SCORE_FOR_EXTRA_CREDIT.</summary>
    public const int MinimumScoreForBonus = 90;

    public static Grade Grade(IEnumerable<ObservatoryOutcome> outcomes)
    {
        var penalties = 0;
        var bonuses = 0;
        var parts = new Dictionary<string, int>(StringComparer.Ordinal);
        var reasons = new List<string>();
        foreach (var outcome in outcomes)
        {
            var score = ObservatoryScoreTable.Scores[outcome];
            parts[score.Test] = parts.GetValueOrDefault(score.Test) + score.Modifier;
            if (score.Modifier < 0)
            {
                penalties += score.Modifier;
            }
            else
            {
                bonuses += score.Modifier;
            }
            if (score.Modifier != 0)
            {
                reasons.Add($"{score.Test}: {score.Description} ({score.Modifier:+0;-0})");
            }
        }
        var total = 100 + penalties;
        if (total >= MinimumScoreForBonus)
        {
            total += bonuses;
        }
        else if (bonuses > 0)
        {
            reasons.Add($"bonuses (+{bonuses}) not counted: the score without them is {total}, under {MinimumScoreForBonus}");
        }
        total = Math.Max(total, 0);
        total -= total % 5;
        return new Grade(Letter(Math.Min(total, 100)), total, parts, reasons);
    }

    /// <summary>The Observatory's GRADE_CHART, for a multiple of 5 from 0 to 100.</summary>
    public static string Letter(int score) => score switch
    {
        >= 100 => "A+",
        >= 90 => "A",
        >= 85 => "A-",
        >= 80 => "B+",
        >= 70 => "B",
        >= 65 => "B-",
        >= 60 => "C+",
        >= 50 => "C",
        >= 45 => "C-",
        >= 40 => "D+",
        >= 30 => "D",
        >= 25 => "D-",
        _ => "F",
    };
}
