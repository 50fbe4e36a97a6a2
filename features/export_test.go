package features

// Unescape is unescape, for the external tests.
var Unescape = unescape

// UnmatchedArgChecks is unmatchedArgChecks, for the external tests.
var UnmatchedArgChecks = unmatchedArgChecks

// QuoteArg is quoteArg, for the external tests.
var QuoteArg = quoteArg

// WithSmallBounds returns cfg with the suite's bounds on the fakes' logs,
// caches and stores lowered to n each, so that a short soak's warm-up
// passes them all.
func WithSmallBounds(cfg Config, n int) Config {
	cfg.bounds = &fakeBounds{apiTokenCache: n, apiLoggedRequests: n, oauthLoggedRequests: n, oauthTokens: n}
	return cfg
}
