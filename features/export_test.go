package features

// WithSmallBounds returns cfg with the suite's bounds on the fakes' logs,
// caches and stores lowered to n each, so that a short soak's warm-up
// passes them all.
func WithSmallBounds(cfg Config, n int) Config {
	cfg.bounds = &fakeBounds{apiTokenCache: n, apiLoggedRequests: n, oauthLoggedRequests: n, oauthTokens: n}
	return cfg
}
