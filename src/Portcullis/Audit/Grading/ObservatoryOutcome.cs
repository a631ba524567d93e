namespace Portcullis.Audit.Grading;

/// <summary>
/// The result of one HTTP Observatory test, named after the Observatory's own expectations (mdn/mdn-http-observatory
/// src/types.js). Points for each are in <see cref="ObservatoryScoreTable"/>.
/// </summary>
internal enum ObservatoryOutcome
{
    CspNoUnsafeDefaultSrcNone,
    CspNoUnsafe,
    CspUnsafeInlineInStyleSrcOnly,
    CspInsecureSchemeInPassiveContentOnly,
    CspUnsafeEval,
    CspUnsafeInline,
    CspInsecureScheme,
    CspDuplicateDirectives,
    CspInvalid,
    CspMissing,
    CspReportOnlyOnly,

    CookiesSecureHttpOnlySessionsAndSameSite,
    CookiesSecureHttpOnlySessions,
    CookiesNone,
    CookiesWithoutSecureButHsts,
    CookiesSessionWithoutSecureButHsts,
    CookiesWithoutSecure,
    CookiesSameSiteInvalid,
    CookiesAntiCsrfWithoutSameSite,
    CookiesSessionWithoutHttpOnly,
    CookiesSessionWithoutSecure,

    CorsNone,
    CorsPublic,
    CorsRestricted,
    CorsUniversalWithCredentials,

    RedirectionToHttps,
    RedirectionNoHttpListener,
    RedirectionOffHostFromHttp,
    RedirectionNotToHttpsOnInitialRedirection,
    RedirectionNotToHttps,
    RedirectionMissing,
    RedirectionInvalidCertificate,

    ReferrerPolicyPrivate,
    ReferrerPolicyMissing,
    ReferrerPolicyUnsafe,
    ReferrerPolicyInvalid,

    HstsAtLeastSixMonths,
    HstsLessThanSixMonths,
    HstsMissing,
    HstsInvalid,
    HstsInvalidCertificate,

    SriImplementedSecurely,
    SriNotHtml,
    SriNoScripts,
    SriSameOriginScriptsOnly,
    SriMissingOnExternalHttpsScripts,
    SriImplementedButHttpScripts,
    SriMissingOnHttpScripts,

    XContentTypeOptionsNosniff,
    XContentTypeOptionsMissing,
    XContentTypeOptionsInvalid,

    XFrameOptionsViaCspFrameAncestors,
    XFrameOptionsDenyOrSameOrigin,
    XFrameOptionsAllowFrom,
    XFrameOptionsMissing,
    XFrameOptionsInvalid,

    CorpSameOriginOrSameSite,
    CorpCrossOriginOrMissing,
    CorpInvalid,

    CoopIsolating,
    CoopMissing,
    CoopInvalid,

    CoepIsolating,
    CoepMissing,
    CoepInvalid,
}
