package oauth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/asksim/asksim/internal/logsafe"
	"github.com/asksim/asksim/internal/recorder"
)

// Request is one entry of the request log. Secrets, codes, tokens,
// passwords and the Authorization header appear only as "sha256:" plus the
// first 8 hex digits of their digest: enough to tell two values apart,
// useless to replay (RFC 6819 §5.1.4.1.3).
type Request struct {
	Time       time.Time
	Endpoint   string // path, e.g. "/token"
	Method     string
	ClientID   string // the authenticated client, or the client_id sent
	AuthScheme string // HTTP_BASIC or REQUEST_BODY_CREDENTIALS when the client authenticated
	Grant      string // grant_type, or response_type at /authorize
	Outcome    string // "ok", an OAuth error code, "fault", or a login-page step
	Status     int
	Params     map[string]string // query and form parameters, redacted
	// User is the user whose access token a protected resource or
	// /userinfo accepted, and Token the bearer token presented, redacted.
	User  string
	Token string
	// Seq numbers the requests the server has logged, from 1; Reset does
	// not start it again, so a test can tell which requests came after a
	// point it noted.
	Seq uint64
}

// dropKey holds, in a request's context, the *bool a fault sets for
// ServeHTTP to drop the connection once the request is logged.
type dropKey struct{}

type logKey struct{}

// entry returns the log record of the request being served.
func entry(r *http.Request) *Request {
	if rec, ok := r.Context().Value(logKey{}).(*Request); ok {
		return rec
	}
	return &Request{} // handlers called outside ServeHTTP (never in practice)
}

// sensitive parameters are redacted in the log.
var sensitive = map[string]bool{
	"client_secret": true, "code": true, "code_verifier": true, "refresh_token": true,
	"access_token": true, "token": true, "password": true, "csrf_token": true, "authorization": true,
	"assertion": true,
}

// Redact is how the log shows a secret value.
func Redact(v string) string {
	sum := sha256.Sum256([]byte(v))
	return "sha256:" + hex.EncodeToString(sum[:4])
}

func (s *Server) record(rec *Request, w *recorder.Writer, r *http.Request) {
	rec.Status = w.Status
	if rec.Status == 0 && !strings.HasPrefix(rec.Outcome, "fault") { // a dropped connection keeps 0
		rec.Status = http.StatusOK
	}
	if rec.Outcome == "" {
		rec.Outcome = "ok"
		if rec.Status >= 400 {
			rec.Outcome = "error"
		}
	}
	if rec.Params == nil {
		params := r.Form // parsed by the handler: query plus form body
		if params == nil {
			params = r.URL.Query()
		}
		rec.Params = redactParams(params)
	}
	if a := r.Header.Get("Authorization"); a != "" {
		scheme, _, _ := strings.Cut(a, " ")
		rec.Params["authorization"] = scheme + " " + Redact(a)
	}
	rec.Seq = s.seq.Add(1)
	s.requests.Add(*rec)
	if s.cfg.Logf != nil {
		// Everything but the status and outcome came from the client:
		// quoted when it is more than a plain word, so no CR or LF in it
		// can start a line of its own.
		user := ""
		if rec.User != "" {
			user = fmt.Sprintf(" user=%q", rec.User)
		}
		s.cfg.Logf("oauth: %s %s client=%q grant=%q%s -> %d %s %s", logsafe.Quote(rec.Method), logsafe.Quote(rec.Endpoint),
			rec.ClientID, rec.Grant, user, rec.Status, rec.Outcome, formatParams(rec.Params))
	}
}

func redactParams(v url.Values) map[string]string {
	out := make(map[string]string, len(v))
	for k, vals := range v {
		shown := make([]string, len(vals))
		for i, val := range vals {
			if sensitive[strings.ToLower(k)] {
				val = Redact(val)
			}
			shown[i] = val
		}
		out[k] = strings.Join(shown, ",")
	}
	return out
}

func formatParams(p map[string]string) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(logsafe.Quote(k) + "=" + logsafe.Quote(p[k]))
	}
	return b.String()
}

// LastSeq returns the Seq of the last request logged, 0 before the first:
// a test notes it, and later looks only at requests with a higher Seq.
func (s *Server) LastSeq() uint64 { return s.seq.Load() }

// Requests returns a copy of the request log, oldest first: the last
// Config.MaxLoggedRequests requests.
func (s *Server) Requests() []Request { return s.requests.All() }

// RequestsTo returns the logged requests to one endpoint path.
func (s *Server) RequestsTo(endpoint string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Endpoint == endpoint {
			out = append(out, r)
		}
	}
	return out
}

// Reset forgets the request log, codes, tokens and pending faults;
// configuration and signing key stay.
func (s *Server) Reset() {
	s.requests.Reset()
	s.resetStore()
	s.faults.Reset()
}
