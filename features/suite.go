package features

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/asksim/asksim/simulator/link"
	"github.com/asksim/asksim/simulator/model"
	"github.com/asksim/asksim/simulator/signing"
)

// Config shapes a Suite. The zero value runs the example skill with every
// fake on a free loopback port.
type Config struct {
	// Endpoint is the skill under test. Nil starts the example skill from
	// fixtures/skill in-process, served over loopback HTTP.
	Endpoint simulator.Endpoint
	// SkillID, Locale and Device default to the simulator's defaults.
	SkillID string
	Locale  string
	Device  string
	// Timeout bounds each turn; defaults to simulator.DefaultTimeout.
	Timeout time.Duration
	// Lenient turns response-contract violations into warnings.
	Lenient bool
	// Sign signs every request as Alexa does (Signature-256, Signature,
	// SignatureCertChainUrl; docs/request-signing.md). Off by default; a
	// scenario can turn it on for itself (`requests are signed`).
	Sign bool
	// RequestSigner signs requests when signing is on. Nil makes one for
	// the suite when SignAddr or SignRootFile is set (or Sign is on), and
	// otherwise leaves it to signing.Default().
	RequestSigner *signing.Authority
	// SignAddr is the HOST:PORT the signing chain is served on, for a
	// verifier configured in advance; empty is 127.0.0.1 on a free port.
	SignAddr string
	// SignRootFile, when set, receives the signing root certificate (PEM)
	// before any scenario runs, for the skill's verifier to trust.
	SignRootFile string
	// APIAddr and OAuthAddr are HOST:PORT for the Alexa API and OAuth fakes,
	// for a skill that must know them in advance. Empty means 127.0.0.1 on
	// a free port.
	APIAddr   string
	OAuthAddr string
	// Profiles seeds the Alexa API fake; nil uses its built-in default
	// profile.
	Profiles *alexaapi.ProfileSet
	// OAuth configures the OAuth fake; nil uses oauth.DefaultConfig().
	OAuth *oauth.Config
	// ManifestPermissions, when set, makes the Alexa API fake refuse scopes
	// the skill's manifest does not declare (403 FORBIDDEN). Defaults to the
	// skill package's.
	ManifestPermissions []string
	// SkillPackage is the skill's ASK skill package: its interaction models
	// resolve what `the user says`, and its manifest's permissions are
	// enforced by the Alexa API fake and the response contract. Nil with no
	// Endpoint uses the example skill's; nil with an Endpoint leaves
	// `the user says` unavailable.
	SkillPackage *model.SkillPackage
	// Model is a bare interaction model, for every locale, when there is no
	// skill package.
	Model *model.Model
	// CA, when set, serves the Alexa API and OAuth fakes over HTTPS with
	// server certificates it signs (a skill on the Python SDK refuses an
	// http:// apiEndpoint, docs/alexa-contract.md §4.0). Use the persistent
	// CA (serve.LoadOrCreateCA) so that a skill started beforehand trusts
	// it. The suite's own clients (the linker, the example skill) trust it.
	CA *serve.CA
	// Signer signs apiAccessTokens; nil generates a key.
	Signer *apitoken.Signer
	// Now is the clock of envelopes and fakes; defaults to time.Now.
	Now func() time.Time

	// bounds replaces the suite's bounds on the fakes, for the soak test
	// (export_test.go); nil means suiteBounds.
	bounds *fakeBounds
}

// fakeBounds are the bounds a suite puts on the fakes' logs, caches and
// stores.
type fakeBounds struct {
	apiTokenCache, apiLoggedRequests int
	oauthLoggedRequests, oauthTokens int
}

// suiteBounds: a scenario's tokens and calls matter only while it runs.
// Bounds well above any concurrency keep a long run's memory flat, where
// the fakes' defaults, sized for `asksim fakes`, let it grow for thousands
// of scenarios first. The OAuth fake's codes and tokens are forgotten,
// not merely uncached: a linked scenario holds about four, so only one
// that outlasts a thousand others' links could see its own forgotten.
var suiteBounds = fakeBounds{apiTokenCache: 512, apiLoggedRequests: 1024, oauthLoggedRequests: 1024, oauthTokens: 4096}

// suiteLinkTimeout bounds each request of a scenario's link against the
// suite's OAuth fake: as long as the suite's client allows, not Alexa's
// 4.5 s.
const suiteLinkTimeout = 10 * time.Second

// Suite is what one run of features shares. Create it with NewSuite, hand
// InitializeScenario to godog, and Close it when the run is over.
type Suite struct {
	cfg      Config
	sim      *simulator.Simulator
	api      *alexaapi.Server
	apiURL   string
	oauth    *oauth.Server
	oauthCfg oauth.Config
	oauthURL string
	skillURL string
	client   *http.Client
	// defaultProfile is the profile of users the scenario gives none.
	defaultProfile alexaapi.Profile
	// premint holds identities whose first tokens were minted ahead; nil
	// outside Run.
	premint atomic.Pointer[premintPool]
	// pkg is the skill package, nil when there is none; bare a bare model.
	pkg  *model.SkillPackage
	bare *model.Model

	// runs counts Runs under way: while one is, its plan prepares the
	// OAuth fake's key (prepareOAuthKey); otherwise the first scenario
	// does.
	runs atomic.Int32
	// matches caches which step patterns a step text matches (steps.go).
	matchMu sync.Mutex
	matches map[string][]int

	closeOnce sync.Once
	closers   []func(context.Context) error
}

// NewSuite starts the fakes (and, without an endpoint, the example skill)
// on loopback and returns the suite. The caller must Close it. On an error
// it returns a nil Suite, having stopped whatever it had started.
func NewSuite(ctx context.Context, cfg Config) (s *Suite, err error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s = &Suite{cfg: cfg, client: &http.Client{Timeout: 10 * time.Second}}
	if cfg.CA != nil {
		s.client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: cfg.CA.CertPool()}}
	}
	// The named result is nil on an error return: close what was started
	// through a copy.
	started := s
	defer func() {
		if err != nil {
			started.Close()
		}
	}()
	if cfg.Signer == nil {
		// The fake takes the suite's own tokens as verified: an RS256
		// check of each scenario's new token tested nothing.
		trust := apitoken.WithMinted(func(token string, claims *apitoken.Claims) {
			if s.api != nil {
				_ = s.api.Trust(token, claims)
			}
		})
		if cfg.Signer, err = apitoken.NewGeneratedSigner(apitoken.WithClock(cfg.Now), trust); err != nil {
			return nil, err
		}
	}

	s.pkg, s.bare = cfg.SkillPackage, cfg.Model
	if s.pkg == nil && s.bare == nil && cfg.Endpoint == nil {
		if s.pkg, err = model.LoadSkillPackageFS(skill.Package(), "fixtures/skill/skill-package"); err != nil {
			return nil, err
		}
	}
	if s.pkg != nil && cfg.ManifestPermissions == nil {
		cfg.ManifestPermissions = s.pkg.Permissions()
	}

	// The Alexa API fake.
	bounds := suiteBounds
	if cfg.bounds != nil {
		bounds = *cfg.bounds
	}
	apiCfg := alexaapi.Config{Keyfunc: cfg.Signer.Keyfunc(), Now: cfg.Now, ManifestPermissions: cfg.ManifestPermissions,
		TokenCacheSize: bounds.apiTokenCache, MaxLoggedRequests: bounds.apiLoggedRequests}
	s.defaultProfile = alexaapi.DefaultProfile()
	if cfg.Profiles != nil {
		s.defaultProfile = cfg.Profiles.Default
		apiCfg.DefaultProfile = &s.defaultProfile
		apiCfg.Profiles = cfg.Profiles.Users
	}
	if s.api, err = alexaapi.New(apiCfg); err != nil {
		return nil, fmt.Errorf("alexa api fake: %w", err)
	}
	if s.apiURL, err = s.serve(s.api, cfg.APIAddr, "--api-addr", cfg.CA); err != nil {
		return nil, err
	}

	// The OAuth fake.
	s.oauthCfg = oauth.DefaultConfig()
	if cfg.OAuth != nil {
		s.oauthCfg = *cfg.OAuth
	}
	if s.oauthCfg.MaxLoggedRequests == 0 {
		s.oauthCfg.MaxLoggedRequests = bounds.oauthLoggedRequests
	}
	if s.oauthCfg.MaxTokens == 0 {
		s.oauthCfg.MaxTokens = bounds.oauthTokens
	}
	if s.oauthCfg.Now == nil {
		s.oauthCfg.Now = cfg.Now
	}
	if len(s.oauthCfg.Clients) == 0 {
		return nil, errNoClient
	}
	// The fake's signing key is made when a run is about to link an
	// account (prepareOAuthKey): most runs link none, and the key costs a
	// tenth of a second of CPU.
	oc := s.oauthCfg
	oc.DeferKey = true
	if s.oauth, err = oauth.New(oc); err != nil {
		return nil, fmt.Errorf("oauth fake: %w", err)
	}
	if s.oauthURL, err = s.serve(s.oauth, cfg.OAuthAddr, "--oauth-addr", cfg.CA); err != nil {
		return nil, err
	}

	endpoint := cfg.Endpoint
	if endpoint == nil {
		opts := skill.Options{UserInfoURL: s.oauthURL + "/userinfo", APIBaseURL: s.oauthURL}
		if cfg.CA != nil {
			opts.HTTPClient = &http.Client{Timeout: skill.DefaultTimeout, Transport: s.client.Transport}
		}
		h := skill.New(opts)
		// The skill itself is served over plain HTTP: --tls is about the
		// fakes the skill calls, and --ca about a skill on HTTPS.
		if s.skillURL, err = s.serve(h, "", "skill", nil); err != nil {
			return nil, err
		}
		if endpoint, err = simulator.HTTPEndpoint(s.skillURL); err != nil {
			return nil, err
		}
	}

	if cfg.RequestSigner == nil && (cfg.Sign || cfg.SignAddr != "" || cfg.SignRootFile != "") {
		// Certificates keep real time even under a fixed clock: TLS clients
		// fetching the chain check them against theirs.
		a, err := signing.New(signing.Options{Addr: cfg.SignAddr})
		if err != nil {
			return nil, err
		}
		s.closers = append(s.closers, func(context.Context) error { return a.Close() })
		cfg.RequestSigner = a
	}
	if cfg.SignRootFile != "" {
		if err := cfg.RequestSigner.WriteRootFile(cfg.SignRootFile); err != nil {
			return nil, err
		}
	}
	opts := []simulator.Option{
		simulator.WithSigner(cfg.Signer),
		simulator.WithAPIEndpoint(s.apiURL),
		simulator.WithEndpoint(endpoint),
		simulator.WithClock(cfg.Now),
		simulator.WithLenient(cfg.Lenient),
		simulator.WithRequestSigning(cfg.Sign),
	}
	if cfg.RequestSigner != nil {
		opts = append(opts, simulator.WithRequestSigner(cfg.RequestSigner))
	}
	if cfg.SkillID != "" {
		opts = append(opts, simulator.WithSkillID(cfg.SkillID))
	}
	if cfg.Locale != "" {
		opts = append(opts, simulator.WithLocale(cfg.Locale))
	}
	if cfg.Device != "" {
		opts = append(opts, simulator.WithDevice(cfg.Device))
	}
	if cfg.Timeout > 0 {
		opts = append(opts, simulator.WithTimeout(cfg.Timeout))
	}
	if s.pkg != nil {
		opts = append(opts, simulator.WithSkillPackage(s.pkg))
	}
	if s.sim, err = simulator.New(opts...); err != nil {
		return nil, err
	}
	// Models are shared by every scenario: set what Resolve reads now,
	// before any goroutine does.
	var models []*model.Model
	if s.pkg != nil {
		for _, loc := range s.pkg.Locales() {
			m, _ := s.pkg.Model(loc)
			models = append(models, m)
		}
	}
	if s.bare != nil {
		models = append(models, s.bare)
	}
	for _, m := range models {
		m.SkillID = s.sim.SkillID()
		m.Clock = cfg.Now
	}
	return s, nil
}

// model returns the interaction model for locale.
func (s *Suite) model(locale string) (*model.Model, error) {
	if s.bare != nil {
		return s.bare, nil
	}
	if s.pkg == nil {
		return nil, errors.New("no interaction model to resolve what the user says: give the skill package (asksim test --skill-package DIR, or features.Config.SkillPackage)")
	}
	return s.pkg.Model(locale)
}

// serve serves h on addr (127.0.0.1 on a free port when empty) until
// Close, over HTTPS when ca is set; what names the server in errors.
func (s *Suite) serve(h http.Handler, addr, what string, ca *serve.CA) (string, error) {
	srv, err := serve.Start(h, serve.Options{Addr: addr, CA: ca})
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	s.closers = append(s.closers, srv.Shutdown)
	return srv.URL, nil
}

// Close stops the servers the suite started. A nil Suite, which a failed
// NewSuite returns, has nothing to close.
func (s *Suite) Close() error {
	if s == nil {
		return nil
	}
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for i := len(s.closers) - 1; i >= 0; i-- {
			s.closers[i](ctx)
		}
		s.client.CloseIdleConnections()
	})
	return nil
}

// Simulator returns the simulator scenarios build their conversations with.
func (s *Suite) Simulator() *simulator.Simulator { return s.sim }

// RequestSigner returns the Authority that signs requests: the suite's,
// or signing.Default() (made on first call) when the suite has none.
func (s *Suite) RequestSigner() (*signing.Authority, error) { return s.sim.RequestSigner() }

// APIURL is the Alexa API fake's base URL, the apiEndpoint of envelopes.
func (s *Suite) APIURL() string { return s.apiURL }

// OAuthURL is the OAuth fake's base URL (/authorize, /token, /userinfo…).
func (s *Suite) OAuthURL() string { return s.oauthURL }

// SkillURL is the example skill's URL, "" when testing another endpoint.
func (s *Suite) SkillURL() string { return s.skillURL }

// AlexaAPI returns the Alexa API fake, to inspect its request log.
func (s *Suite) AlexaAPI() *alexaapi.Server { return s.api }

// OAuthServer returns the OAuth fake.
func (s *Suite) OAuthServer() *oauth.Server { return s.oauth }

// link runs the account-linking flow as Alexa does, against the OAuth fake,
// logging in as username (the fake's first user when "") and asking for
// scopes (nil: every scope the client may request). It returns the account
// and who logged in.
func (s *Suite) link(ctx context.Context, username string, scopes []string) (*link.Account, string, error) {
	cfg, err := LinkConfig(s.oauthCfg, s.oauthURL, username)
	if err != nil {
		return nil, "", fmt.Errorf("link the account as %q: %w", username, err)
	}
	if scopes != nil {
		for _, sc := range scopes {
			if !slices.Contains(cfg.Scopes, sc) {
				return nil, "", fmt.Errorf("link with the scope %q: the OAuth fake's client %s may request only %s", sc, cfg.ClientID, strings.Join(cfg.Scopes, ", "))
			}
		}
		cfg.Scopes = scopes
	}
	cfg.HTTPClient, cfg.Now = s.client, s.cfg.Now
	// The suite's own fake is the means to a real token here, not what is
	// tested: Alexa's 4.5 s would fail scenarios on a loaded CI machine.
	cfg.Timeout, cfg.PageTimeout = suiteLinkTimeout, suiteLinkTimeout
	res, err := link.Run(ctx, cfg)
	switch {
	case err != nil && res != nil && res.Report != nil:
		return nil, "", fmt.Errorf("link the account as %q: %w\n%s", cfg.Username, err, res.Report.String())
	case err != nil:
		return nil, "", fmt.Errorf("link the account as %q: %w", cfg.Username, err)
	}
	return res.Account, cfg.Username, nil
}

// The simulator asks a linked account for each request's token.
var _ simulator.LinkedAccount = (*link.Account)(nil)

var errNoClient = errors.New("oauth config: no client to link with")

// LinkConfig returns the link.Config that links an account against an OAuth
// fake with configuration cfg served at baseURL, as Alexa would with the
// fake's first client: its id, secret, scheme, scopes and first redirect
// URI. The user who logs in is username, with the password cfg gives it;
// cfg's first user when username is "".
func LinkConfig(cfg oauth.Config, baseURL, username string) (link.Config, error) {
	if len(cfg.Clients) == 0 {
		return link.Config{}, errNoClient
	}
	if username == "" && len(cfg.Users) > 0 {
		username = cfg.Users[0].Username
	}
	i := slices.IndexFunc(cfg.Users, func(u oauth.User) bool { return u.Username == username })
	if i < 0 {
		var known []string
		for _, u := range cfg.Users {
			known = append(known, u.Username)
		}
		return link.Config{}, fmt.Errorf("no user %q in the OAuth fake's configuration (users: %s)", username, strings.Join(known, ", "))
	}
	client := cfg.Clients[0]
	lc := link.Config{
		AuthorizationURL: baseURL + "/authorize",
		TokenURL:         baseURL + "/token",
		ClientID:         client.ID,
		ClientSecret:     client.Secret,
		Scheme:           client.Scheme, // the console's names, which link accepts
		Scopes:           client.Scopes,
		Username:         username,
		Password:         cfg.Users[i].Password,
	}
	if len(client.RedirectURIs) > 0 {
		lc.RedirectURI = client.RedirectURIs[0]
	}
	return lc, nil
}
