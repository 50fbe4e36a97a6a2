package link

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/asksim/asksim/internal/excerpt"
)

// Status is the outcome of one rule.
type Status string

// Rule outcomes. A warning never makes linking fail: it flags what Alexa's
// production rules would reject but a local test server may legitimately
// lack (plain http, for example).
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Rule is one thing Alexa checks while linking an account. IDs are
// stable: scripts may match on them.
type Rule struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	// Severity is the status the rule gets when it is broken: Fail for
	// rules Alexa enforces, Warn for production-only requirements.
	Severity Status `json:"severity"`
}

// Rule IDs, in the order Alexa meets them (docs/alexa-contract.md §8,
// docs/oauth-checklist.md §2).
const (
	RuleHTTPS           = "transport.https"
	RuleAuthorizePage   = "authorize.page"
	RuleAuthorizeFrame  = "authorize.framing"
	RuleAuthorizeForm   = "authorize.form"
	RuleAuthorizeRedir  = "authorize.redirect"
	RuleAuthorizeSee    = "authorize.see_other"
	RuleAuthorizeState  = "authorize.state"
	RuleAuthorizeCode   = "authorize.code"
	RuleTokenResponse   = "token.response"
	RuleTokenLatency    = "token.latency"
	RuleTokenAccess     = "token.access_token"
	RuleTokenType       = "token.token_type"
	RuleTokenExpiresInt = "token.expires_in.integer"
	RuleTokenExpiresMin = "token.expires_in.minimum"
	RuleTokenRefresh    = "token.refresh_token"
	RuleTokenNoStore    = "token.no_store"
	RuleRefreshResponse = "refresh.response"
	RuleRefreshLatency  = "refresh.latency"
)

var rules = []Rule{
	{RuleHTTPS, "Authorization and token URLs use HTTPS on port 443", Warn},
	{RuleAuthorizePage, "The authorization URL answers with a login page (200, HTML)", Fail},
	{RuleAuthorizeFrame, "The login page forbids framing (X-Frame-Options or CSP frame-ancestors)", Warn},
	{RuleAuthorizeForm, "The login page has a form with the username and password fields", Fail},
	{RuleAuthorizeRedir, "After login the server redirects, on its own origin, to Alexa's redirect_uri", Fail},
	{RuleAuthorizeSee, "The redirect after the login POST is 302 or 303, never 307/308 (RFC 9700 §4.12)", Warn},
	{RuleAuthorizeState, "The redirect carries the state Alexa sent, unchanged", Fail},
	{RuleAuthorizeCode, "The redirect carries a code and no error", Fail},
	{RuleTokenResponse, "The token endpoint redeems the code: 200 with a JSON object", Fail},
	{RuleTokenLatency, "The token endpoint answers within Alexa's 4.5 s", Fail},
	{RuleTokenAccess, "The token response has a non-empty access_token string", Fail},
	{RuleTokenType, "The token response has token_type Bearer (any case)", Fail},
	{RuleTokenExpiresInt, "expires_in, when present, is an integer number of seconds (RFC 6749 §5.1)", Fail},
	{RuleTokenExpiresMin, "expires_in is at least 360 seconds", Fail},
	{RuleTokenRefresh, "The token response has a refresh_token", Fail},
	{RuleTokenNoStore, "Token responses carry Cache-Control: no-store (RFC 6749 §5.1)", Warn},
	{RuleRefreshResponse, "The refresh token works: grant_type=refresh_token answers a valid token response", Fail},
	{RuleRefreshLatency, "The refresh answers within Alexa's 4.5 s", Fail},
}

// Rules lists every rule the linker checks, in the order it checks them.
func Rules() []Rule { return slices.Clone(rules) }

func ruleByID(id string) Rule {
	for _, r := range rules {
		if r.ID == id {
			return r
		}
	}
	panic("link: unknown rule " + id) // a typo in this package, caught by its tests
}

func ruleDescription(id string) string {
	for _, r := range rules {
		if r.ID == id {
			return r.Description
		}
	}
	return ""
}

// Check is the outcome of one rule, with the exchange that decided it.
type Check struct {
	Rule        string    `json:"rule"`
	Description string    `json:"description"`
	Status      Status    `json:"status"`
	Message     string    `json:"message"`
	Evidence    *Evidence `json:"evidence,omitempty"`
}

// Evidence is the request the linker made and what came back, with
// passwords, client secrets, codes and tokens redacted.
type Evidence struct {
	Request  *EvidenceRequest  `json:"request,omitempty"`
	Response *EvidenceResponse `json:"response,omitempty"`
}

// EvidenceRequest is a redacted request.
type EvidenceRequest struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	// Authorization shows the scheme only ("Basic [redacted]").
	Authorization string `json:"authorization,omitempty"`
	// Form is the form-encoded body, secrets redacted.
	Form string `json:"form,omitempty"`
}

// EvidenceResponse is a redacted response: status, the headers the rules
// look at, and the start of the body.
type EvidenceResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    string            `json:"body,omitempty"`
	// Message and Text are, for an HTML page, what a person reads on it,
	// taken from the whole body (Body stops at 512 bytes, often inside the
	// page's <head>): its error message when it shows one, else its first
	// heading, else its title; and its visible text. Each is cut to 512
	// bytes.
	Message string `json:"message,omitempty"`
	Text    string `json:"text,omitempty"`
}

// Report is what linking found: one check per rule reached, in order.
type Report struct {
	// AuthorizationURL is the URL the login started from (state visible,
	// nothing secret in it).
	AuthorizationURL string  `json:"authorization_url"`
	RedirectURI      string  `json:"redirect_uri"`
	Checks           []Check `json:"checks"`
	// NotChecked lists the rules never reached because linking stopped at
	// a failure.
	NotChecked []string `json:"not_checked,omitempty"`
}

// Failed reports whether any rule failed. Warnings do not count.
func (r *Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

// Check returns the check of a rule, if it was made.
func (r *Report) Check(rule string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Rule == rule {
			return c, true
		}
	}
	return Check{}, false
}

// Counts returns how many checks passed, warned and failed.
func (r *Report) Counts() (pass, warn, fail int) {
	for _, c := range r.Checks {
		switch c.Status {
		case Pass:
			pass++
		case Warn:
			warn++
		case Fail:
			fail++
		}
	}
	return
}

// MarshalJSON adds the verdict and counts, so that CI needs no logic of
// its own.
func (r *Report) MarshalJSON() ([]byte, error) {
	type plain Report
	c := *r
	c.Checks = slices.Clone(r.Checks)
	for i := range c.Checks {
		if c.Checks[i].Description == "" {
			c.Checks[i].Description = ruleDescription(c.Checks[i].Rule)
		}
	}
	pass, warn, fail := r.Counts()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// URLs and HTML bodies stay readable; an escaping caller still escapes.
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		Linked bool `json:"linked"`
		*plain
		Summary map[string]int `json:"summary"`
	}{!r.Failed(), (*plain)(&c), map[string]int{"pass": pass, "warn": warn, "fail": fail}})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

// add records a check; status pass or the rule's severity.
func (r *Report) add(rule string, ok bool, ev *Evidence, format string, a ...any) {
	st := Pass
	if !ok {
		st = ruleByID(rule).Severity
	}
	r.Checks = append(r.Checks, Check{
		Rule: rule, Description: ruleByID(rule).Description, Status: st,
		Message: fmt.Sprintf(format, a...), Evidence: ev,
	})
}

// finish lists the rules never reached once linking stopped early.
func (r *Report) finish(manual bool) {
	r.NotChecked = nil
	if !r.Failed() {
		return
	}
	for _, rule := range rules {
		if manual && isBrowserRule(rule.ID) {
			continue // a person did the login; asksim never saw those pages
		}
		if _, ok := r.Check(rule.ID); !ok {
			r.NotChecked = append(r.NotChecked, rule.ID)
		}
	}
}

func isBrowserRule(id string) bool {
	switch id {
	case RuleAuthorizePage, RuleAuthorizeFrame, RuleAuthorizeForm, RuleAuthorizeSee:
		return true
	}
	return false
}

// WriteText renders the report for people: one aligned line per check,
// PASS/WARN/FAIL, and the evidence under every warning and failure.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Account linking as Alexa does it\n  authorization: %s\n  redirect_uri:  %s\n\n", r.AuthorizationURL, r.RedirectURI)
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Rule))
	}
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%-4s  %-*s  %s\n", strings.ToUpper(string(c.Status)), width, c.Rule, c.Message)
		if c.Status != Pass {
			indent := strings.Repeat(" ", 6+width+2)
			if d := firstNonEmpty(c.Description, ruleDescription(c.Rule)); d != "" {
				fmt.Fprintf(&b, "%srule:     %s\n", indent, d)
			}
			if c.Evidence != nil {
				writeEvidence(&b, c.Evidence, indent)
			}
		}
	}
	if len(r.NotChecked) > 0 {
		// Named, so that the list cannot be read as the rules that came
		// after the first failure: linking goes on past some of them.
		stopped := "the failure above"
		for _, c := range r.Checks {
			if c.Status == Fail {
				stopped = c.Rule
			}
		}
		fmt.Fprintf(&b, "\nNot checked, as linking stopped at %s: %s\n", stopped, strings.Join(r.NotChecked, ", "))
	}
	pass, warn, fail := r.Counts()
	verdict := "LINKED"
	if r.Failed() {
		verdict = "FAILED"
	}
	fmt.Fprintf(&b, "\n%s: %d passed, %s, %d failed\n", verdict, pass, plural(warn, "warning"), fail)
	_, err := io.WriteString(w, b.String())
	return err
}

// String is WriteText into a string.
func (r *Report) String() string {
	var b strings.Builder
	_ = r.WriteText(&b)
	return b.String()
}

// evidenceHeaders are the response headers the rules look at, in the order
// the text report prints them.
var evidenceHeaders = []string{"Content-Type", "Cache-Control", "Pragma", "Location",
	"X-Frame-Options", "Content-Security-Policy", "WWW-Authenticate"}

func writeEvidence(b *strings.Builder, ev *Evidence, indent string) {
	if q := ev.Request; q != nil {
		fmt.Fprintf(b, "%srequest:  %s %s\n", indent, q.Method, q.URL)
		if q.Authorization != "" {
			fmt.Fprintf(b, "%s          Authorization: %s\n", indent, q.Authorization)
		}
		if q.Form != "" {
			fmt.Fprintf(b, "%s          %s\n", indent, q.Form)
		}
	}
	if s := ev.Response; s != nil {
		fmt.Fprintf(b, "%sresponse: %d %s\n", indent, s.Status, http.StatusText(s.Status))
		for _, h := range evidenceHeaders {
			if v, ok := s.Headers[h]; ok {
				fmt.Fprintf(b, "%s          %s: %s\n", indent, h, v)
			}
		}
		switch {
		case s.Message != "" || s.Text != "":
			// A page's markup hides what it says: what a person reads
			// instead (the JSON report keeps the body).
			if s.Message != "" {
				fmt.Fprintf(b, "%s          page says: %q\n", indent, s.Message)
			}
			if s.Text != "" {
				fmt.Fprintf(b, "%s          page text: %s\n", indent, s.Text)
			}
		case s.Body != "":
			fmt.Fprintf(b, "%s          %s\n", indent, strings.Join(strings.Fields(s.Body), " "))
		}
	}
}

// redactedValue replaces secrets in evidence.
const redactedValue = "[redacted]"

// redactor hides what must never appear in a report: credentials, codes,
// verifiers and tokens. Known keys are redacted structurally in forms, URLs
// and JSON bodies; the secret values themselves are then replaced wherever
// else they appear (an HTML page echoing a code, say).
type redactor struct {
	keys    map[string]bool
	secrets []string
}

func newRedactor(passwordField string) *redactor {
	keys := map[string]bool{}
	for _, k := range []string{"password", "client_secret", "code", "code_verifier",
		"access_token", "refresh_token", "id_token", passwordField} {
		keys[k] = true
	}
	return &redactor{keys: keys}
}

// secret registers a value to hide. Very short values are left to the
// structural redaction: replacing "a" everywhere would garble the evidence.
func (r *redactor) secret(vals ...string) {
	for _, v := range vals {
		if len(v) >= 4 && !slices.Contains(r.secrets, v) {
			r.secrets = append(r.secrets, v)
		}
	}
}

func (r *redactor) text(s string) string {
	for _, v := range r.secrets {
		for _, form := range []string{v, url.QueryEscape(v), url.PathEscape(v)} {
			s = strings.ReplaceAll(s, form, redactedValue)
		}
	}
	return s
}

// excerpt is s redacted, then cut to n bytes: cut first, a secret split
// at the cut would no longer match and show in part.
func (r *redactor) excerpt(s string, n int) string { return excerpt.Head(r.text(s), n) }

func (r *redactor) values(v url.Values) string {
	out := url.Values{}
	for k, vs := range v {
		for _, x := range vs {
			if r.keys[k] {
				x = redactedValue
			}
			out.Add(k, x)
		}
	}
	// Encode escapes the brackets of [redacted]; undo it for readability.
	return strings.ReplaceAll(r.text(out.Encode()), url.QueryEscape(redactedValue), redactedValue)
}

func (r *redactor) url(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		if q, err := url.ParseQuery(c.RawQuery); err == nil {
			c.RawQuery = r.values(q)
		}
	}
	if c.Fragment != "" {
		if q, err := url.ParseQuery(c.Fragment); err == nil {
			c.Fragment, c.RawFragment = "", ""
			s := c.String() + "#" + r.values(q)
			return r.text(s)
		}
	}
	return r.text(c.String())
}

// body redacts the start of a response body: JSON objects key by key, other
// bodies by their secret values.
func (r *redactor) body(b []byte) string {
	const max = 512
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) == nil {
		for k := range obj {
			if r.keys[k] {
				obj[k] = json.RawMessage(`"` + redactedValue + `"`)
			}
		}
		if out, err := json.Marshal(obj); err == nil {
			b = out
		}
	}
	return r.excerpt(string(b), max)
}

func (r *redactor) response(resp *http.Response, body []byte) *EvidenceResponse {
	if resp == nil {
		return nil
	}
	er := &EvidenceResponse{Status: resp.StatusCode, Body: r.body(body)}
	if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct == "text/html" || ct == "application/xhtml+xml" {
		msg, text := pageWords(string(body))
		er.Message, er.Text = r.excerpt(msg, maxMessage), r.excerpt(text, maxPageText)
	}
	for _, h := range evidenceHeaders {
		if v := resp.Header.Values(h); len(v) > 0 {
			if er.Headers == nil {
				er.Headers = map[string]string{}
			}
			val := strings.Join(v, ", ")
			if h == "Location" {
				if u, err := url.Parse(val); err == nil {
					val = r.url(u)
				}
			}
			er.Headers[h] = r.text(val)
		}
	}
	return er
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
