package oauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/asksim/asksim/internal/jsonlimit"
)

// Resource is a protected resource served at the fake's address, beside
// its OAuth endpoints and sharing its token store, as a provider's API sits
// beside its authorization server (Spotify's GET /v1/me/playlists beside
// its /authorize and /token). A bearer token this server issued for a user
// reads it when the token carries Scope (RFC 6750).
type Resource struct {
	// Method is GET (the default), POST, PUT, PATCH or DELETE. A GET
	// resource answers HEAD too.
	Method string
	// Path is matched exactly, e.g. "/v1/me/playlists". It may not be one
	// of the OAuth endpoints.
	Path string
	// Scope is the scope a token needs; empty, any token of a user will do.
	Scope string
	// Status is the status of a successful answer; defaults to 200.
	Status int
	// Body is the JSON answered to users without an entry in Users.
	Body json.RawMessage
	// Users holds a JSON body per username.
	//
	// In the string values of either, "{user}" is replaced by the token's
	// username, "{sub}" by its subject and "{client_id}" by the client it
	// was issued to; other text in braces is left as it is.
	Users map[string]json.RawMessage
}

// Route names the resource as "METHOD /path", the form SetGrantBody and the
// feature steps use.
func (r Resource) Route() string { return r.method() + " " + r.Path }

func (r Resource) method() string {
	if r.Method == "" {
		return http.MethodGet
	}
	return r.Method
}

// ParseRoute splits "GET /v1/me/playlists" into method and path; a route of
// only a path means GET.
func ParseRoute(route string) (method, path string, err error) {
	route = strings.TrimSpace(route)
	method, path, ok := strings.Cut(route, " ")
	if !ok {
		method, path = http.MethodGet, route
	}
	path = strings.TrimSpace(path)
	if !slices.Contains(resourceMethods, method) || !strings.HasPrefix(path, "/") {
		return "", "", fmt.Errorf("route %q: want a method and a path, such as \"GET /v1/me/playlists\"", route)
	}
	return method, path, nil
}

var resourceMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// ownPaths are the server's own endpoints, which no resource may shadow.
var ownPaths = []string{"/authorize", "/token", "/userinfo", "/introspect", "/revoke", "/jwks.json",
	"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration",
	lwaTokenPath, lwaTokenInfoPath, lwaProfilePath}

// resourcePathRE keeps to characters that need no escaping and mean nothing
// to http.ServeMux (no braces, no '%').
var resourcePathRE = regexp.MustCompile(`^(/[A-Za-z0-9._~!$&'()*+,;=:@-]+)+$`)

// maxResourceBody bounds a body given at run time (SetGrantBody), so that
// the grants the store keeps stay small.
const maxResourceBody = 1 << 20

// validateResources reports the first problem, naming the field at fault
// as the JSON configuration spells it.
func (c *Config) validateResources() error {
	users := map[string]bool{}
	for _, u := range c.Users {
		users[u.Username] = true
	}
	seen := map[string]int{}
	for i, r := range c.Resources {
		field := fmt.Sprintf("resources[%d]", i)
		if !slices.Contains(resourceMethods, r.method()) {
			return fmt.Errorf("%s.method: %q is not one of %s", field, r.Method, strings.Join(resourceMethods, ", "))
		}
		if err := checkResourcePath(r.Path); err != nil {
			return fmt.Errorf("%s.path: %w", field, err)
		}
		if j, dup := seen[r.Route()]; dup {
			return fmt.Errorf("%s: %s is already resources[%d]", field, r.Route(), j)
		}
		seen[r.Route()] = i
		if r.Scope != "" && !isScopeToken(r.Scope) {
			return fmt.Errorf("%s.scope: %q is not one scope token (RFC 6749 §3.3)", field, r.Scope)
		}
		if r.Status != 0 && (r.Status < 200 || r.Status > 599) {
			return fmt.Errorf("%s.status: %d is not a final HTTP status (200–599)", field, r.Status)
		}
		if len(r.Body) == 0 && len(r.Users) == 0 {
			return fmt.Errorf("%s: no body: give body (for every user) or users (one body per username)", field)
		}
		if len(r.Body) > 0 {
			if err := checkJSONBody(r.Body); err != nil {
				return fmt.Errorf("%s.body: %w", field, err)
			}
		}
		names := make([]string, 0, len(r.Users))
		for name := range r.Users {
			names = append(names, name)
		}
		slices.Sort(names) // the first problem, the same every time
		for _, name := range names {
			if !users[name] {
				return fmt.Errorf("%s.users: %q is not a configured user", field, name)
			}
			if err := checkJSONBody(r.Users[name]); err != nil {
				return fmt.Errorf("%s.users.%s: %w", field, name, err)
			}
		}
	}
	return nil
}

func checkResourcePath(p string) error {
	switch {
	case !strings.HasPrefix(p, "/"):
		return fmt.Errorf("%q does not start with \"/\"", p)
	case !resourcePathRE.MatchString(p) || path.Clean(p) != p:
		return fmt.Errorf("%q is not a clean path of letters, digits and -._~!$&'()*+,;=:@ between slashes", p)
	}
	for _, own := range ownPaths {
		if strings.EqualFold(p, own) {
			return fmt.Errorf("%q is one of the OAuth fake's own endpoints", p)
		}
	}
	return nil
}

func isScopeToken(s string) bool {
	for i := 0; i < len(s); i++ {
		// RFC 6749 §3.3: %x21 / %x23-5B / %x5D-7E.
		if c := s[i]; c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return s != ""
}

func checkJSONBody(b []byte) error {
	var de *jsonlimit.DepthError
	if err := jsonlimit.CheckDepth(b, jsonlimit.DefaultMaxDepth); errors.As(err, &de) {
		return fmt.Errorf("JSON nests deeper than %d levels", de.Max)
	}
	if !json.Valid(b) {
		return errors.New("not valid JSON")
	}
	return nil
}

// resource is a Resource ready to answer: its bodies compiled.
type resource struct {
	Resource
	body  *bodyTemplate // nil: none for users without their own
	users map[string]*bodyTemplate
}

func newResource(r Resource) *resource {
	r = r.clone()
	r.Method = r.method()
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	out := &resource{Resource: r, users: map[string]*bodyTemplate{}}
	if len(r.Body) > 0 {
		out.body = compileBody(r.Body)
	}
	for name, b := range r.Users {
		out.users[name] = compileBody(b)
	}
	return out
}

// bodyTemplate is a JSON body cut at its placeholders, so that answering
// costs an append per part, not a decode and re-encode.
type bodyTemplate struct {
	parts []bodyPart
}

type bodyPart struct {
	text        []byte
	placeholder string // "" for text
}

var placeholders = []string{"{user}", "{sub}", "{client_id}"}

// compileBody compacts a valid JSON body, which a configuration file may
// indent, and finds the placeholders inside its strings.
func compileBody(raw []byte) *bodyTemplate {
	var buf bytes.Buffer
	b := raw
	if json.Compact(&buf, raw) == nil {
		b = buf.Bytes()
	}
	t := &bodyTemplate{}
	start, inString, escaped := 0, false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case !inString:
			inString = c == '"'
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			inString = false
		case c == '{':
			for _, p := range placeholders {
				if strings.HasPrefix(string(b[i:min(len(b), i+len(p))]), p) {
					t.parts = append(t.parts, bodyPart{text: b[start:i]}, bodyPart{placeholder: p})
					i += len(p) - 1
					start = i + 1
					break
				}
			}
		}
	}
	t.parts = append(t.parts, bodyPart{text: b[start:]})
	return t
}

// render fills the placeholders with values escaped for a JSON string.
func (t *bodyTemplate) render(values map[string]string) []byte {
	if len(t.parts) == 1 {
		return t.parts[0].text
	}
	n := 0
	for _, p := range t.parts {
		n += len(p.text) + len(values[p.placeholder])
	}
	out := make([]byte, 0, n+16)
	for _, p := range t.parts {
		if p.placeholder == "" {
			out = append(out, p.text...)
			continue
		}
		q, _ := json.Marshal(values[p.placeholder]) // a string always marshals
		out = append(out, q[1:len(q)-1]...)
	}
	return out
}

// clone copies the bodies, so that the caller's later edits don't race.
func (r Resource) clone() Resource {
	r.Body = bytes.Clone(r.Body)
	if r.Users != nil {
		users := make(map[string]json.RawMessage, len(r.Users))
		for k, v := range r.Users {
			users[k] = bytes.Clone(v)
		}
		r.Users = users
	}
	return r
}

// Resources returns the protected resources, in configuration order.
func (s *Server) Resources() []Resource {
	out := make([]Resource, len(s.cfg.Resources))
	for i, r := range s.cfg.Resources {
		r = r.clone()
		r.Method = r.method()
		out[i] = r
	}
	return out
}

// resourceAt returns the resource of route, or an error listing the routes.
func (s *Server) resourceAt(route string) (*resource, error) {
	method, p, err := ParseRoute(route)
	if err != nil {
		return nil, fmt.Errorf("oauth: %w", err)
	}
	if r := s.resources[p][method]; r != nil {
		return r, nil
	}
	var routes []string
	for _, r := range s.cfg.Resources {
		routes = append(routes, r.Route())
	}
	if len(routes) == 0 {
		return nil, fmt.Errorf("oauth: no resource %s: the configuration declares none", route)
	}
	return nil, fmt.Errorf("oauth: no resource %s (resources: %s)", route, strings.Join(routes, ", "))
}

// handleResource answers the resources at one path.
func (s *Server) handleResource(byMethod map[string]*resource) http.HandlerFunc {
	var allowed []string
	for _, m := range resourceMethods {
		if byMethod[m] != nil {
			allowed = append(allowed, m)
		}
	}
	if byMethod[http.MethodGet] != nil {
		allowed = append(allowed, http.MethodHead)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		method := r.Method
		if method == http.MethodHead {
			method = http.MethodGet
		}
		res := byMethod[method]
		if res == nil {
			allowMethods(w, r, allowed...)
			return
		}
		t := s.authorizeResource(w, r, res)
		if t == nil {
			return
		}
		body, fault := s.grantAnswer(t.family, res)
		if fault != nil && s.playFault(w, r, *fault) {
			return
		}
		if body == nil {
			body = res.users[t.username]
		}
		if body == nil {
			body = res.body
		}
		if body == nil {
			writeError(w, r, newError("not_found", http.StatusNotFound, "%s has no body for user %s", res.Route(), t.username))
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		noStore(h)
		w.WriteHeader(res.Status)
		w.Write(body.render(map[string]string{"{user}": t.username, "{sub}": s.subject(t), "{client_id}": t.clientID}))
	}
}

// authorizeResource checks the bearer token as RFC 6750 §3.1 says and
// returns its record, or writes the answer and returns nil.
func (s *Server) authorizeResource(w http.ResponseWriter, r *http.Request, res *resource) *tokenRecord {
	t := s.bearer(w, r)
	if t == nil {
		return nil
	}
	if res.Scope != "" && !slices.Contains(t.scopes, res.Scope) {
		desc := fmt.Sprintf("%s needs the scope %s; the token has %s", res.Route(), res.Scope, scopeList(t.scopes))
		writeError(w, r, &Error{Type: ErrorInsufficientScope, Status: http.StatusForbidden, Description: desc,
			challenge: bearerChallenge(ErrorInsufficientScope, desc, res.Scope)})
		return nil
	}
	return t
}

func scopeList(scopes []string) string {
	if len(scopes) == 0 {
		return "none"
	}
	return strings.Join(scopes, " ")
}

// ResourceRequests returns the logged requests to protected resources,
// oldest first: all of them, or, given tokens, those whose bearer token
// was one of them. A test finds the calls its skill made with the tokens
// its requests carried, even when other tests share the server.
func (s *Server) ResourceRequests(tokens ...string) []Request {
	want := map[string]bool{}
	for _, t := range tokens {
		want[Redact(t)] = true
	}
	var out []Request
	for _, r := range s.Requests() {
		if s.resources[r.Endpoint] == nil || len(want) > 0 && !want[r.Token] {
			continue
		}
		out = append(out, r)
	}
	return out
}
