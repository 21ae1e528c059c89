//! Every outcome the twelve Observatory tests can give, with its score
//! modifier (algorithm version 6) and a one-line explanation for reports.

/// One test outcome. Names follow the Observatory's expectation names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    CspImplementedWithNoUnsafeDefaultSrcNone,
    CspImplementedWithNoUnsafe,
    CspImplementedWithUnsafeInlineInStyleSrcOnly,
    CspImplementedWithInsecureSchemeInPassiveContentOnly,
    CspImplementedWithUnsafeEval,
    CspImplementedWithUnsafeInline,
    CspImplementedWithInsecureScheme,
    CspHeaderInvalid,
    CspNotImplemented,
    CspNotImplementedButReportingEnabled,
    CspImplementedButDuplicateDirectives,

    CookiesSecureWithHttponlySessionsAndSamesite,
    CookiesSecureWithHttponlySessions,
    CookiesNotFound,
    CookiesWithoutSecureFlagButProtectedByHsts,
    CookiesSessionWithoutSecureFlagButProtectedByHsts,
    CookiesWithoutSecureFlag,
    CookiesSamesiteFlagInvalid,
    CookiesAnticsrfWithoutSamesiteFlag,
    CookiesSessionWithoutHttponlyFlag,
    CookiesSessionWithoutSecureFlag,

    CrossOriginResourceSharingNotImplemented,
    CrossOriginResourceSharingImplementedWithPublicAccess,
    CrossOriginResourceSharingImplementedWithRestrictedAccess,
    CrossOriginResourceSharingImplementedWithUniversalAccess,

    RedirectionAllRedirectsPreloaded,
    RedirectionToHttps,
    RedirectionNotNeededNoHttp,
    RedirectionOffHostFromHttp,
    RedirectionNotToHttpsOnInitialRedirection,
    RedirectionNotToHttps,
    RedirectionMissing,
    RedirectionInvalidCert,

    ReferrerPolicyPrivate,
    ReferrerPolicyNotImplemented,
    ReferrerPolicyUnsafe,
    ReferrerPolicyHeaderInvalid,

    HstsPreloaded,
    HstsImplementedMaxAgeAtLeastSixMonths,
    HstsImplementedMaxAgeLessThanSixMonths,
    HstsNotImplemented,
    HstsHeaderInvalid,
    HstsNotImplementedNoHttps,
    HstsInvalidCert,

    SriImplementedAndAllScriptsLoadedSecurely,
    SriImplementedAndExternalScriptsLoadedSecurely,
    SriNotImplementedResponseNotHtml,
    SriNotImplementedButNoScriptsLoaded,
    SriNotImplementedButAllScriptsLoadedFromSecureOrigin,
    SriNotImplementedButExternalScriptsLoadedSecurely,
    SriImplementedButExternalScriptsNotLoadedSecurely,
    SriNotImplementedAndExternalScriptsNotLoadedSecurely,

    XContentTypeOptionsNosniff,
    XContentTypeOptionsNotImplemented,
    XContentTypeOptionsHeaderInvalid,

    XFrameOptionsImplementedViaCsp,
    XFrameOptionsSameoriginOrDeny,
    XFrameOptionsAllowFromOrigin,
    XFrameOptionsNotImplemented,
    XFrameOptionsHeaderInvalid,

    CrossOriginResourcePolicyHeaderInvalid,
    CrossOriginResourcePolicyImplementedWithCrossOrigin,
    CrossOriginResourcePolicyImplementedWithSameOrigin,
    CrossOriginResourcePolicyImplementedWithSameSite,
    CrossOriginResourcePolicyNotImplemented,

    CoepImplementedWithRequireCorp,
    CoepImplementedWithCredentialless,
    CoepImplementedWithUnsafeNone,
    CoepNotImplemented,
    CoepHeaderInvalid,

    CoopImplementedWithSameOrigin,
    CoopImplementedWithSameOriginAllowPopups,
    CoopImplementedWithNoopenerAllowPopups,
    CoopImplementedWithUnsafeNone,
    CoopNotImplemented,
    CoopHeaderInvalid,
}

impl Outcome {
    /// The score modifier of this outcome.
    pub fn modifier(self) -> i32 {
        use Outcome::*;
        match self {
            CspImplementedWithNoUnsafeDefaultSrcNone => 10,
            CspImplementedWithNoUnsafe => 5,
            CspImplementedWithUnsafeInlineInStyleSrcOnly => 0,
            CspImplementedWithInsecureSchemeInPassiveContentOnly => -10,
            CspImplementedWithUnsafeEval => -10,
            CspImplementedWithUnsafeInline => -20,
            CspImplementedWithInsecureScheme => -20,
            CspHeaderInvalid => -25,
            CspNotImplemented => -25,
            CspNotImplementedButReportingEnabled => -25,
            CspImplementedButDuplicateDirectives => 0,

            CookiesSecureWithHttponlySessionsAndSamesite => 5,
            CookiesSecureWithHttponlySessions => 0,
            CookiesNotFound => 0,
            CookiesWithoutSecureFlagButProtectedByHsts => -5,
            CookiesSessionWithoutSecureFlagButProtectedByHsts => -10,
            CookiesWithoutSecureFlag => -20,
            CookiesSamesiteFlagInvalid => -20,
            CookiesAnticsrfWithoutSamesiteFlag => -20,
            CookiesSessionWithoutHttponlyFlag => -30,
            CookiesSessionWithoutSecureFlag => -40,

            CrossOriginResourceSharingNotImplemented => 0,
            CrossOriginResourceSharingImplementedWithPublicAccess => 0,
            CrossOriginResourceSharingImplementedWithRestrictedAccess => 0,
            CrossOriginResourceSharingImplementedWithUniversalAccess => -50,

            RedirectionAllRedirectsPreloaded => 0,
            RedirectionToHttps => 0,
            RedirectionNotNeededNoHttp => 0,
            RedirectionOffHostFromHttp => -5,
            RedirectionNotToHttpsOnInitialRedirection => -10,
            RedirectionNotToHttps => -20,
            RedirectionMissing => -20,
            RedirectionInvalidCert => -20,

            ReferrerPolicyPrivate => 5,
            ReferrerPolicyNotImplemented => 0,
            ReferrerPolicyUnsafe => -5,
            ReferrerPolicyHeaderInvalid => -5,

            HstsPreloaded => 5,
            HstsImplementedMaxAgeAtLeastSixMonths => 0,
            HstsImplementedMaxAgeLessThanSixMonths => -10,
            HstsNotImplemented => -20,
            HstsHeaderInvalid => -20,
            HstsNotImplementedNoHttps => -20,
            HstsInvalidCert => -20,

            SriImplementedAndAllScriptsLoadedSecurely => 5,
            SriImplementedAndExternalScriptsLoadedSecurely => 5,
            SriNotImplementedResponseNotHtml => 0,
            SriNotImplementedButNoScriptsLoaded => 0,
            SriNotImplementedButAllScriptsLoadedFromSecureOrigin => 0,
            SriNotImplementedButExternalScriptsLoadedSecurely => -5,
            SriImplementedButExternalScriptsNotLoadedSecurely => -20,
            SriNotImplementedAndExternalScriptsNotLoadedSecurely => -50,

            XContentTypeOptionsNosniff => 0,
            XContentTypeOptionsNotImplemented => -5,
            XContentTypeOptionsHeaderInvalid => -5,

            XFrameOptionsImplementedViaCsp => 5,
            XFrameOptionsSameoriginOrDeny => 5,
            XFrameOptionsAllowFromOrigin => 0,
            XFrameOptionsNotImplemented => -20,
            XFrameOptionsHeaderInvalid => -20,

            CrossOriginResourcePolicyHeaderInvalid => -5,
            CrossOriginResourcePolicyImplementedWithCrossOrigin => 0,
            CrossOriginResourcePolicyImplementedWithSameOrigin => 10,
            CrossOriginResourcePolicyImplementedWithSameSite => 10,
            CrossOriginResourcePolicyNotImplemented => 0,

            CoepImplementedWithRequireCorp => 10,
            CoepImplementedWithCredentialless => 10,
            CoepImplementedWithUnsafeNone => 0,
            CoepNotImplemented => 0,
            CoepHeaderInvalid => -5,

            CoopImplementedWithSameOrigin => 10,
            CoopImplementedWithSameOriginAllowPopups => 10,
            CoopImplementedWithNoopenerAllowPopups => 10,
            CoopImplementedWithUnsafeNone => 0,
            CoopNotImplemented => 0,
            CoopHeaderInvalid => -5,
        }
    }

    /// A one-line explanation of the outcome.
    pub fn description(self) -> &'static str {
        use Outcome::*;
        match self {
            CspImplementedWithNoUnsafeDefaultSrcNone => {
                "CSP with default-src 'none' and no unsafe sources"
            }
            CspImplementedWithNoUnsafe => {
                "CSP without 'unsafe-inline', 'unsafe-eval' or broad sources"
            }
            CspImplementedWithUnsafeInlineInStyleSrcOnly => {
                "CSP allows 'unsafe-inline' or broad sources in style-src only"
            }
            CspImplementedWithInsecureSchemeInPassiveContentOnly => {
                "CSP allows http: sources for images or media"
            }
            CspImplementedWithUnsafeEval => "CSP allows 'unsafe-eval'",
            CspImplementedWithUnsafeInline => {
                "CSP allows 'unsafe-inline', data: or overly broad sources for scripts or objects"
            }
            CspImplementedWithInsecureScheme => {
                "CSP allows http: or ftp: sources for active content"
            }
            CspHeaderInvalid => "Content-Security-Policy header cannot be parsed",
            CspNotImplemented => "no Content-Security-Policy header",
            CspNotImplementedButReportingEnabled => {
                "only Content-Security-Policy-Report-Only is set (nothing enforced)"
            }
            CspImplementedButDuplicateDirectives => {
                "CSP is sound but repeats report-uri/report-to directives"
            }

            CookiesSecureWithHttponlySessionsAndSamesite => {
                "all cookies Secure and SameSite, session cookies HttpOnly"
            }
            CookiesSecureWithHttponlySessions => {
                "all cookies Secure, session cookies HttpOnly, but SameSite missing"
            }
            CookiesNotFound => "no cookies set",
            CookiesWithoutSecureFlagButProtectedByHsts => "a cookie lacks Secure (HSTS softens it)",
            CookiesSessionWithoutSecureFlagButProtectedByHsts => {
                "a session cookie lacks Secure (HSTS softens it)"
            }
            CookiesWithoutSecureFlag => "a cookie lacks the Secure flag",
            CookiesSamesiteFlagInvalid => {
                "a cookie has an invalid SameSite value, or SameSite=None without Secure"
            }
            CookiesAnticsrfWithoutSamesiteFlag => "an anti-CSRF cookie lacks SameSite",
            CookiesSessionWithoutHttponlyFlag => "a session cookie lacks HttpOnly",
            CookiesSessionWithoutSecureFlag => "a session cookie lacks the Secure flag",

            CrossOriginResourceSharingNotImplemented => "no CORS headers for a foreign Origin",
            CrossOriginResourceSharingImplementedWithPublicAccess => {
                "CORS allows any origin without credentials (*)"
            }
            CrossOriginResourceSharingImplementedWithRestrictedAccess => {
                "CORS restricted to specific origins"
            }
            CrossOriginResourceSharingImplementedWithUniversalAccess => {
                "CORS reflects a foreign Origin with credentials allowed"
            }

            RedirectionAllRedirectsPreloaded => "every redirect host is HSTS-preloaded",
            RedirectionToHttps => "plain HTTP redirects to HTTPS on the same host",
            RedirectionNotNeededNoHttp => "no plain-HTTP endpoint to redirect",
            RedirectionOffHostFromHttp => "plain HTTP redirects to HTTPS on another host first",
            RedirectionNotToHttpsOnInitialRedirection => {
                "plain HTTP first redirects to another HTTP URL"
            }
            RedirectionNotToHttps => "plain HTTP redirects, but not to HTTPS",
            RedirectionMissing => "plain HTTP is served without redirecting to HTTPS",
            RedirectionInvalidCert => "the HTTPS redirect target's certificate was not verified",

            ReferrerPolicyPrivate => "Referrer-Policy keeps URLs private",
            ReferrerPolicyNotImplemented => "no Referrer-Policy header (browser default applies)",
            ReferrerPolicyUnsafe => "Referrer-Policy leaks URLs to other origins",
            ReferrerPolicyHeaderInvalid => "Referrer-Policy has no recognised value",

            HstsPreloaded => "the host is on the HSTS preload list",
            HstsImplementedMaxAgeAtLeastSixMonths => "HSTS max-age is at least six months",
            HstsImplementedMaxAgeLessThanSixMonths => "HSTS max-age is under six months",
            HstsNotImplemented => "no Strict-Transport-Security header on HTTPS",
            HstsHeaderInvalid => "Strict-Transport-Security header cannot be parsed",
            HstsNotImplementedNoHttps => "not served over HTTPS, so no HSTS",
            HstsInvalidCert => "the certificate was not verified, so HSTS does not count",

            SriImplementedAndAllScriptsLoadedSecurely => "all scripts use integrity and HTTPS",
            SriImplementedAndExternalScriptsLoadedSecurely => {
                "external scripts use integrity and HTTPS"
            }
            SriNotImplementedResponseNotHtml => "response is not HTML (SRI does not apply)",
            SriNotImplementedButNoScriptsLoaded => "HTML loads no scripts",
            SriNotImplementedButAllScriptsLoadedFromSecureOrigin => {
                "scripts load from the same origin only"
            }
            SriNotImplementedButExternalScriptsLoadedSecurely => {
                "external scripts over HTTPS lack integrity attributes"
            }
            SriImplementedButExternalScriptsNotLoadedSecurely => {
                "external scripts have integrity but load over plain HTTP"
            }
            SriNotImplementedAndExternalScriptsNotLoadedSecurely => {
                "external scripts load over plain HTTP without integrity"
            }

            XContentTypeOptionsNosniff => "X-Content-Type-Options: nosniff",
            XContentTypeOptionsNotImplemented => "no X-Content-Type-Options header",
            XContentTypeOptionsHeaderInvalid => "X-Content-Type-Options is not nosniff",

            XFrameOptionsImplementedViaCsp => "framing controlled by CSP frame-ancestors",
            XFrameOptionsSameoriginOrDeny => "X-Frame-Options DENY or SAMEORIGIN",
            XFrameOptionsAllowFromOrigin => "X-Frame-Options ALLOW-FROM (obsolete)",
            XFrameOptionsNotImplemented => "no X-Frame-Options and no CSP frame-ancestors",
            XFrameOptionsHeaderInvalid => "X-Frame-Options has an invalid value",

            CrossOriginResourcePolicyHeaderInvalid => "Cross-Origin-Resource-Policy is invalid",
            CrossOriginResourcePolicyImplementedWithCrossOrigin => {
                "Cross-Origin-Resource-Policy: cross-origin"
            }
            CrossOriginResourcePolicyImplementedWithSameOrigin => {
                "Cross-Origin-Resource-Policy: same-origin"
            }
            CrossOriginResourcePolicyImplementedWithSameSite => {
                "Cross-Origin-Resource-Policy: same-site"
            }
            CrossOriginResourcePolicyNotImplemented => "no Cross-Origin-Resource-Policy header",

            CoepImplementedWithRequireCorp => "Cross-Origin-Embedder-Policy: require-corp",
            CoepImplementedWithCredentialless => "Cross-Origin-Embedder-Policy: credentialless",
            CoepImplementedWithUnsafeNone => "Cross-Origin-Embedder-Policy: unsafe-none",
            CoepNotImplemented => "no Cross-Origin-Embedder-Policy header",
            CoepHeaderInvalid => "Cross-Origin-Embedder-Policy is invalid or repeated",

            CoopImplementedWithSameOrigin => "Cross-Origin-Opener-Policy: same-origin",
            CoopImplementedWithSameOriginAllowPopups => {
                "Cross-Origin-Opener-Policy: same-origin-allow-popups"
            }
            CoopImplementedWithNoopenerAllowPopups => {
                "Cross-Origin-Opener-Policy: noopener-allow-popups"
            }
            CoopImplementedWithUnsafeNone => "Cross-Origin-Opener-Policy: unsafe-none",
            CoopNotImplemented => "no Cross-Origin-Opener-Policy header",
            CoopHeaderInvalid => "Cross-Origin-Opener-Policy is invalid or repeated",
        }
    }
}
