using Portcullis.Audit.Grading;
using O = Portcullis.Audit.Grading.ObservatoryOutcome;

namespace Portcullis.Tests.Audit.Grading;

/// <summary>The Observatory's scoring over hand-picked result sets: penalties, the bonus rule at 90, rounding and the letter table.</summary>
public sealed class ObservatoryGraderTests
{
    /// <summary>Every test at its neutral (0-point) result: the baseline each row changes.</summary>
    private static readonly O[] Neutral =
    [
        O.CspUnsafeInlineInStyleSrcOnly, O.CookiesNone, O.CorsNone, O.RedirectionToHttps, O.ReferrerPolicyMissing, O.HstsAtLeastSixMonths,
        O.SriNoScripts, O.XContentTypeOptionsNosniff, O.XFrameOptionsAllowFrom, O.CorpCrossOriginOrMissing, O.CoopMissing, O.CoepMissing,
    ];

    public static TheoryData<string[], int, string> Cases => new()
    {
        { [], 100, "A+" },
        // Bonuses count from 90 up: 100 + 10 + 5 + 5.
        { [nameof(O.CspNoUnsafeDefaultSrcNone), nameof(O.ReferrerPolicyPrivate), nameof(O.XFrameOptionsDenyOrSameOrigin)], 120, "A+" },
        // 100 - 10 = 90 still earns the bonuses: 90 + 5 = 95.
        { [nameof(O.HstsLessThanSixMonths), nameof(O.ReferrerPolicyPrivate)], 95, "A" },
        // 100 - 20 = 80 < 90: the +10 bonus is dropped.
        { [nameof(O.HstsMissing), nameof(O.CspNoUnsafeDefaultSrcNone)], 80, "B+" },
        { [nameof(O.CspMissing)], 75, "B" },
        { [nameof(O.XContentTypeOptionsMissing)], 95, "A" },
        { [nameof(O.XContentTypeOptionsMissing), nameof(O.ReferrerPolicyUnsafe)], 90, "A" },
        { [nameof(O.XContentTypeOptionsMissing), nameof(O.ReferrerPolicyUnsafe), nameof(O.CorpInvalid)], 85, "A-" },
        { [nameof(O.CspMissing), nameof(O.XContentTypeOptionsMissing)], 70, "B" },
        { [nameof(O.CspMissing), nameof(O.HstsMissing), nameof(O.XFrameOptionsMissing), nameof(O.XContentTypeOptionsMissing)], 30, "D" },
        { [nameof(O.CookiesSessionWithoutSecure), nameof(O.CspMissing), nameof(O.XContentTypeOptionsMissing)], 30, "D" },
        { [nameof(O.CorsUniversalWithCredentials), nameof(O.SriMissingOnHttpScripts)], 0, "F" },
        // Floors at 0: -50 -50 -25 -20 -20.
        { [nameof(O.CorsUniversalWithCredentials), nameof(O.SriMissingOnHttpScripts), nameof(O.CspMissing), nameof(O.HstsMissing), nameof(O.RedirectionMissing)], 0, "F" },
        { [nameof(O.CspReportOnlyOnly), nameof(O.CookiesWithoutSecureButHsts)], 70, "B" },
        { [nameof(O.CspUnsafeEval), nameof(O.RedirectionOffHostFromHttp)], 85, "A-" },
        { [nameof(O.CspUnsafeEval), nameof(O.RedirectionOffHostFromHttp), nameof(O.ReferrerPolicyInvalid)], 80, "B+" },
        { [nameof(O.CspInsecureSchemeInPassiveContentOnly), nameof(O.XFrameOptionsMissing), nameof(O.XContentTypeOptionsMissing)], 65, "B-" },
        { [nameof(O.CspInvalid), nameof(O.CoopInvalid), nameof(O.CookiesWithoutSecure)], 50, "C" },
        { [nameof(O.CspInvalid), nameof(O.CookiesSessionWithoutHttpOnly)], 45, "C-" },
        { [nameof(O.CspInvalid), nameof(O.CookiesSessionWithoutHttpOnly), nameof(O.XContentTypeOptionsMissing)], 40, "D+" },
        { [nameof(O.CspMissing), nameof(O.CookiesSessionWithoutHttpOnly), nameof(O.CoepInvalid)], 40, "D+" },
        { [nameof(O.CspMissing), nameof(O.CookiesSessionWithoutSecure), nameof(O.XContentTypeOptionsMissing), nameof(O.CorpInvalid)], 25, "D-" },
        { [nameof(O.CspMissing), nameof(O.CookiesSessionWithoutSecure), nameof(O.RedirectionNotToHttpsOnInitialRedirection)], 25, "D-" },
        { [nameof(O.HstsInvalidCertificate), nameof(O.RedirectionInvalidCertificate), nameof(O.SriImplementedButHttpScripts)], 40, "D+" },
        { [nameof(O.CspUnsafeInline), nameof(O.SriMissingOnExternalHttpsScripts), nameof(O.CookiesSameSiteInvalid)], 55, "C" },
        { [nameof(O.CspInsecureScheme), nameof(O.CookiesAntiCsrfWithoutSameSite), nameof(O.RedirectionNotToHttps)], 40, "D+" },
        { [nameof(O.CoopIsolating), nameof(O.CoepIsolating), nameof(O.CorpSameOriginOrSameSite), nameof(O.SriImplementedSecurely), nameof(O.CookiesSecureHttpOnlySessionsAndSameSite), nameof(O.HstsLessThanSixMonths)], 130, "A+" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Grade_Results_ScoreAndLetter(string[] changes, int score, string letter)
    {
        var outcomes = Neutral.ToList();
        foreach (var change in changes.Select(Enum.Parse<O>))
        {
            var test = ObservatoryScoreTable.Scores[change].Test;
            outcomes[outcomes.FindIndex(o => ObservatoryScoreTable.Scores[o].Test == test)] = change;
        }

        var grade = ObservatoryGrader.Grade(outcomes);

        Assert.Equal((letter, score), (grade.Letter, grade.Score));
        Assert.Equal(outcomes.Sum(o => ObservatoryScoreTable.Scores[o].Modifier), grade.Parts.Values.Sum());
    }

    [Fact]
    public void ScoreTable_EveryOutcome_HasARowAndEveryTestHasOneNeutralBaseline()
    {
        Assert.All(Enum.GetValues<O>(), o => Assert.True(ObservatoryScoreTable.Scores.ContainsKey(o), $"{o} has no score"));
        Assert.Equal(ObservatoryScoreTable.Scores.Values.Select(s => s.Test).Distinct().Order(), Neutral.Select(o => ObservatoryScoreTable.Scores[o].Test).Order());
        Assert.All(Neutral, o => Assert.Equal(0, ObservatoryScoreTable.Scores[o].Modifier));
    }

    [Theory]
    [InlineData(100, "A+")]
    [InlineData(95, "A")]
    [InlineData(90, "A")]
    [InlineData(85, "A-")]
    [InlineData(80, "B+")]
    [InlineData(75, "B")]
    [InlineData(70, "B")]
    [InlineData(65, "B-")]
    [InlineData(60, "C+")]
    [InlineData(55, "C")]
    [InlineData(50, "C")]
    [InlineData(45, "C-")]
    [InlineData(40, "D+")]
    [InlineData(35, "D")]
    [InlineData(30, "D")]
    [InlineData(25, "D-")]
    [InlineData(20, "F")]
    [InlineData(0, "F")]
    public void Letter_Score_MatchesTheObservatoryChart(int score, string letter) =>
        Assert.Equal(letter, ObservatoryGrader.Letter(score));
}
