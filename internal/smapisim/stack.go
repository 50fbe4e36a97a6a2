package smapisim

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/asksim/asksim/fakes/smapi"
)

// StackConfig describes what `asksim fakes --smapi-addr` serves: one skill
// of the developer's, behind Login with Amazon and SMAPI.
type StackConfig struct {
	// SkillID is the skill's id, amzn1.ask.skill.<uuid>.
	SkillID string
	// Files is its skill package (see ReadSkillPackage).
	Files map[string][]byte
	// Backend plays simulations and invocations.
	Backend Config
	// Logf, when set, receives one line per call to either fake: "lwa-"
	// before the OAuth fake's own "oauth: ", or "smapi: ".
	Logf func(format string, args ...any)
}

// Stack is the Login with Amazon fake (oauth.DefaultLWAConfig: the
// developer account and the ASK CLI's client) and the SMAPI fake,
// ready to serve on one address.
type Stack struct {
	LWA     *oauth.Server
	SMAPI   *smapi.Server
	Backend *Backend
}

// NewStack builds the fakes; the skill package is loaded now, so a broken
// one fails here with the file and JSON path at fault.
func NewStack(cfg StackConfig) (*Stack, error) {
	lcfg := oauth.DefaultLWAConfig()
	backend := New(cfg.Backend)
	scfg := smapi.Config{Backend: backend, Skills: []smapi.Skill{{ID: cfg.SkillID, Files: cfg.Files}}}
	if cfg.Logf != nil {
		lcfg.Logf = prefixed(cfg.Logf, "lwa-")
		scfg.Logf = prefixed(cfg.Logf, "smapi: ")
	}
	lwa, err := oauth.New(lcfg)
	if err != nil {
		return nil, err
	}
	scfg.Tokens = lwa
	api, err := smapi.New(scfg)
	if err != nil {
		return nil, err
	}
	return &Stack{LWA: lwa, SMAPI: api, Backend: backend}, nil
}

func prefixed(logf func(string, ...any), prefix string) func(string, ...any) {
	return func(format string, args ...any) { logf(prefix+format, args...) }
}

// Handler serves SMAPI's paths and LWA's at the root of one address.
func (s *Stack) Handler() http.Handler { return smapi.WithLWA(s.SMAPI, s.LWA) }

// CLIEnv mints a refresh token of the developer's holding every SMAPI
// scope and returns the environment that points the ASK CLI at baseURL,
// where Handler is served. caFile, when not empty, is the CA Node.js must
// trust for an https baseURL.
func (s *Stack) CLIEnv(baseURL, caFile string) (smapi.CLIEnv, error) {
	if baseURL == "" {
		return smapi.CLIEnv{}, errors.New("smapisim: CLIEnv needs the fakes' URL")
	}
	tok, err := s.LWA.IssueLWATokens(oauth.LWADeveloper, oauth.LWAClientID, smapi.Scopes())
	if err != nil {
		return smapi.CLIEnv{}, fmt.Errorf("smapisim: %w", err)
	}
	return smapi.CLIEnv{SMAPIURL: baseURL, LWAURL: baseURL, ClientID: oauth.LWAClientID, ClientSecret: oauth.LWAClientSecret,
		RefreshToken: tok.RefreshToken, VendorID: smapi.DefaultVendorID, CAFile: caFile}, nil
}

// Close ends the simulations in flight.
func (s *Stack) Close() { s.SMAPI.Close() }
