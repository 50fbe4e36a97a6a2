package features

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/asksim/asksim/fakes/oauth"
	"github.com/cucumber/godog"
)

// The steps about the provider's API: the protected resources the OAuth
// fake serves beside its endpoints (Config.Resources), which a linked skill
// calls with the user's token. Every scenario's script goes to the grant
// its account linked with (oauth.Server.SetGrantBody, FailGrant), so that
// scenarios running at once see only their own.

// apiScript is what a scenario asked the API to answer.
type apiScript struct {
	bodies []apiBody
	faults []apiFault
}

type apiBody struct {
	route, user string
	body        []byte
}

type apiFault struct {
	path  string
	fault oauth.Fault
}

// resource returns the resource of a route written in a step.
func (s *Suite) resource(route string) (oauth.Resource, error) {
	method, path, err := oauth.ParseRoute(unescape(route))
	if err != nil {
		return oauth.Resource{}, err
	}
	var routes []string
	for _, r := range s.oauth.Resources() {
		if r.Method == method && r.Path == path {
			return r, nil
		}
		routes = append(routes, r.Route())
	}
	return oauth.Resource{}, fmt.Errorf("the OAuth fake serves no %s %s (its API: %s; declare more under \"resources\" in its configuration)",
		method, path, listOr(routes, "none"))
}

func (w *world) apiAnswersFor(route, user string, doc *godog.DocString) error {
	res, err := w.suite.resource(route)
	if err != nil {
		return err
	}
	user = unescape(user)
	if !slices.ContainsFunc(w.suite.oauthCfg.Users, func(u oauth.User) bool { return u.Username == user }) {
		var known []string
		for _, u := range w.suite.oauthCfg.Users {
			known = append(known, u.Username)
		}
		return fmt.Errorf("no user %q in the OAuth fake's configuration (users: %s)", user, listOr(known, "none"))
	}
	body := []byte(strings.TrimSpace(doc.Content))
	if err := json.Unmarshal(body, new(any)); err != nil {
		return fmt.Errorf("the answer of %s for %q is not JSON: %v", res.Route(), user, err)
	}
	w.api.bodies = append(w.api.bodies, apiBody{res.Route(), user, body})
	return w.applyAPIScript()
}

// forever is how many calls a scripted fault lasts: the whole scenario.
const forever = math.MaxInt32

func (w *world) apiFails(route string, status int) error {
	body := fmt.Sprintf(`{"error":{"status":%d,"message":%q}}`, status, http.StatusText(status))
	return w.apiFault(route, oauth.Fault{Status: status, Body: body})
}

func (w *world) apiDrops(route string) error {
	return w.apiFault(route, oauth.Fault{DropConnection: true})
}

func (w *world) apiSlow(route, delay string) error {
	d, err := time.ParseDuration(unescape(delay))
	if err != nil || d <= 0 {
		return fmt.Errorf("delay %q: want a positive duration such as \"3s\" or \"500ms\"", delay)
	}
	return w.apiFault(route, oauth.Fault{Delay: d})
}

func (w *world) apiFault(route string, f oauth.Fault) error {
	res, err := w.suite.resource(route)
	if err != nil {
		return err
	}
	// Checked now, so that a bad status fails this step, linked or not.
	if err := f.Check(); err != nil {
		return fmt.Errorf("%s: %w", res.Route(), err)
	}
	w.api.faults = append(w.api.faults, apiFault{res.Path, f})
	return w.applyAPIScript()
}

// applyAPIScript gives the scenario's grant its scripted answers: bodies
// for the user who linked, faults whoever it is. Before the account is
// linked there is no grant yet; linking applies them.
func (w *world) applyAPIScript() error {
	tok, ok := w.grantToken()
	if !ok {
		return nil
	}
	srv := w.suite.oauth
	for _, b := range w.api.bodies {
		if b.user == w.linkedUser {
			if err := srv.SetGrantBody(tok, b.route, b.body); err != nil {
				return err
			}
		}
	}
	cleared := map[string]bool{}
	for _, f := range w.api.faults {
		if !cleared[f.path] {
			cleared[f.path] = true
			srv.FailGrant(tok, f.path, 0, oauth.Fault{})
		}
		if err := srv.FailGrant(tok, f.path, forever, f.fault); err != nil {
			return err
		}
	}
	return nil
}

// grantToken returns a token of the linked account's grant: the refresh
// token, which outlives the access tokens refreshed from it.
func (w *world) grantToken() (string, bool) {
	if w.linked == nil || !w.linked.Linked() {
		return "", false
	}
	t := w.linked.Tokens()
	if t.RefreshToken != "" {
		return t.RefreshToken, true
	}
	return t.AccessToken, t.AccessToken != ""
}

var errNotLinked = errors.New("the user has not linked their account: a step such as `Given the user has linked their account` must come first")

// expireLinked ends the access token at the provider while Alexa still
// holds it as good: the next request carries it, and the API refuses it.
func (w *world) expireLinked() error {
	if _, ok := w.grantToken(); !ok {
		return errNotLinked
	}
	return w.suite.oauth.ExpireToken(w.linked.Tokens().AccessToken)
}

// revokeLinked revokes the grant at the provider; Alexa is not told.
func (w *world) revokeLinked() error {
	tok, ok := w.grantToken()
	if !ok {
		return errNotLinked
	}
	return w.suite.oauth.RevokeGrant(tok)
}

// expireUnrefreshable ends both tokens at the provider and Alexa's copy of
// the access token: Alexa's refresh before the next request is refused.
func (w *world) expireUnrefreshable() error {
	if _, ok := w.grantToken(); !ok {
		return errNotLinked
	}
	t := w.linked.Tokens()
	for _, tok := range []string{t.AccessToken, t.RefreshToken} {
		if tok == "" {
			continue
		}
		if err := w.suite.oauth.ExpireToken(tok); err != nil {
			return err
		}
	}
	w.linked.Expire()
	return nil
}

// resourceCalls returns the calls to the provider's API that were the
// scenario's: those with a token its requests carried, and those with no
// token at all since it began. (Without a token, calls cannot be told apart
// between scenarios that run at the same time.)
func (w *world) resourceCalls() []oauth.Request {
	sent := map[string]bool{}
	for _, rec := range w.turns {
		for _, t := range rec.skillTurns() {
			if t != nil && t.Request != nil && t.Request.Context.System.User.AccessToken != "" {
				sent[oauth.Redact(t.Request.Context.System.User.AccessToken)] = true
			}
		}
	}
	var out []oauth.Request
	for _, r := range w.suite.oauth.ResourceRequests() {
		if sent[r.Token] || r.Token == "" && r.Seq > w.oauthSeq {
			out = append(out, r)
		}
	}
	return out
}

func (w *world) skillCalled(route string, status int) error {
	res, err := w.suite.resource(route)
	if err != nil {
		return err
	}
	calls := w.resourceCalls()
	if slices.ContainsFunc(calls, func(r oauth.Request) bool {
		return r.Method == res.Method && r.Endpoint == res.Path && (status == 0 || r.Status == status)
	}) {
		return nil
	}
	what := "the skill to call " + res.Route()
	if status != 0 {
		what += fmt.Sprintf(" and get %d", status)
	}
	return w.expected(what, describeResourceCalls(calls, "no call to the API"), "")
}

func (w *world) noResourceCall() error {
	if calls := w.resourceCalls(); len(calls) > 0 {
		return w.expected("no call to the API", describeResourceCalls(calls, ""), "")
	}
	return nil
}

// describeResourceCalls lists calls to the API with what they got.
func describeResourceCalls(calls []oauth.Request, none string) string {
	seen := make([]string, 0, len(calls))
	for _, c := range calls {
		s := fmt.Sprintf("%s %s → %d", c.Method, c.Endpoint, c.Status)
		if c.Status == 0 {
			s = fmt.Sprintf("%s %s → no answer", c.Method, c.Endpoint)
		}
		if c.Outcome != "ok" {
			s += " (" + c.Outcome + ")"
		}
		seen = append(seen, s)
	}
	return listOr(seen, none)
}
