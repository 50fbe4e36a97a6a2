package simulator

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"
)

// DefaultTimeout is how long a turn waits for the skill: Alexa's eight
// seconds (docs/alexa-contract.md §6.4).
const DefaultTimeout = 8 * time.Second

// MaxResponseBytes caps how much of a skill's answer is read. It is well above
// the contract's 120 KB limit, so that an oversize answer is reported with its
// size by the contract check, yet bounded, so that a skill streaming megabytes
// fails the turn cleanly instead of filling memory.
const MaxResponseBytes = 1 << 20

// Endpoint delivers one request to a skill and returns its answer. The
// drivers are HTTPEndpoint, LambdaEndpoint and HandlerEndpoint; a test may
// supply its own.
type Endpoint interface {
	// Invoke POSTs body, with header, and returns the skill's answer. An
	// answer that is not a complete HTTP 200 reply (refused connection,
	// timeout, other status, body over MaxResponseBytes, Lambda function
	// error) is a *SkillError. Invoke must return once ctx is done.
	Invoke(ctx context.Context, body []byte, header http.Header) (*Reply, error)
	// String names the endpoint in messages, e.g. its URL.
	String() string
}

// Reply is a skill's answer to one request.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// HTTPOption configures HTTPEndpoint and LambdaEndpoint.
type HTTPOption func(*httpConfig) error

type httpConfig struct {
	timeout time.Duration
	roots   *x509.CertPool
	maxBody int64
}

// ErrCAFile is wrapped by the errors of WithCAFile, so that a caller can
// tell a bad CA file from a bad endpoint URL and name its own flag.
var ErrCAFile = errors.New("CA file")

// WithCAFile trusts the PEM certificates in path as well as the system's
// roots, for a skill served over HTTPS with a private or self-signed
// certificate.
func WithCAFile(path string) HTTPOption {
	return func(c *httpConfig) error {
		pem, err := os.ReadFile(path)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the path is in the message already
			}
			return fmt.Errorf("%w %s: %w", ErrCAFile, path, err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if c.roots != nil {
			pool = c.roots.Clone()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("%w %s: no PEM CERTIFICATE block found", ErrCAFile, path)
		}
		c.roots = pool
		return nil
	}
}

// WithRootCAs trusts exactly the certificates in pool, e.g. that of an
// httptest TLS server.
func WithRootCAs(pool *x509.CertPool) HTTPOption {
	return func(c *httpConfig) error {
		if pool == nil {
			return errors.New("WithRootCAs: pool is nil")
		}
		c.roots = pool
		return nil
	}
}

// WithHTTPTimeout bounds each Invoke whose context has no deadline. Defaults
// to DefaultTimeout. A Simulator always passes its own deadline (WithTimeout).
func WithHTTPTimeout(d time.Duration) HTTPOption {
	return func(c *httpConfig) error {
		if d <= 0 {
			return fmt.Errorf("timeout %v: want a positive duration", d)
		}
		c.timeout = d
		return nil
	}
}

// WithMaxResponseBytes changes the read cap of MaxResponseBytes.
func WithMaxResponseBytes(n int64) HTTPOption {
	return func(c *httpConfig) error {
		if n <= 0 {
			return fmt.Errorf("max response bytes %d: want a positive size", n)
		}
		c.maxBody = n
		return nil
	}
}

type httpEndpoint struct {
	url string
	// transport is used directly, not through an http.Client: Alexa follows
	// no redirects and keeps no cookies, and the Client would copy every
	// request's headers in case of a redirect.
	transport *http.Transport
	timeout   time.Duration
	maxBody   int64
}

// HTTPEndpoint returns an endpoint that POSTs to url, an absolute http:// or
// https:// URL. Its connections are kept alive and reused across turns and
// conversations.
func HTTPEndpoint(rawURL string, opts ...HTTPOption) (Endpoint, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q: %v", rawURL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q: want an absolute http:// or https:// URL", rawURL)
	}
	cfg := httpConfig{timeout: DefaultTimeout, maxBody: MaxResponseBytes}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	tr := &http.Transport{
		Proxy: nil, // a local skill must not be reached through a proxy
		DialContext: (&net.Dialer{
			Timeout:   cfg.timeout,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		// Parallel conversations each hold a connection; keep them all.
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: cfg.timeout,
		// No ResponseHeaderTimeout: the turn's context bounds the wait, so
		// that a Simulator's longer WithTimeout is not cut short here.
		// Alexa sends no Accept-Encoding; neither do we, so the skill sees
		// exactly the headers Send sets.
		DisableCompression: true,
	}
	if cfg.roots != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: cfg.roots, MinVersion: tls.VersionTLS12}
	}
	return &httpEndpoint{url: u.String(), transport: tr, timeout: cfg.timeout, maxBody: cfg.maxBody}, nil
}

func (e *httpEndpoint) String() string { return e.url }

func (e *httpEndpoint) Invoke(ctx context.Context, body []byte, header http.Header) (*Reply, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return nil, &SkillError{Kind: FaultConnection, Endpoint: e.url, Err: err}
	}
	req.Header = header
	resp, err := e.transport.RoundTrip(req)
	if err != nil {
		return nil, transportFault(ctx, e.url, err)
	}
	defer resp.Body.Close()
	b, err := readCapped(resp.Body, resp.ContentLength, e.maxBody)
	reply := &Reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
	if err != nil {
		if errors.Is(err, errOversize) {
			return reply, &SkillError{Kind: FaultOversize, StatusCode: resp.StatusCode, BodyStart: bodyStart(b), Endpoint: e.url,
				Err: fmt.Errorf("answer is larger than %d bytes", e.maxBody)}
		}
		return reply, transportFault(ctx, e.url, err)
	}
	return reply, statusFault(reply, e.url)
}

// statusFault is the fault of any answer but 200: Alexa treats every other
// status, 2xx included, as a failed skill.
func statusFault(r *Reply, endpoint string) error {
	if r.Status == http.StatusOK {
		return nil
	}
	return &SkillError{Kind: FaultStatus, StatusCode: r.Status, BodyStart: bodyStart(r.Body), Endpoint: endpoint,
		Err: fmt.Errorf("HTTP status %d %s, want 200", r.Status, http.StatusText(r.Status))}
}

var errOversize = errors.New("oversize")

// readCapped reads at most max bytes of r and errOversize if there are more.
// A known length sizes the buffer once.
func readCapped(r io.Reader, length, max int64) ([]byte, error) {
	if length > max {
		// Read the start for the message; the rest is never read.
		b := make([]byte, 512)
		n, _ := io.ReadFull(r, b)
		return b[:n], errOversize
	}
	size := int64(512)
	if length >= 0 {
		size = length + 1 // +1 so that a correct length needs no regrowth to see EOF
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	n, err := buf.ReadFrom(io.LimitReader(r, max+1))
	if err != nil {
		return buf.Bytes(), err
	}
	if n > max {
		return buf.Bytes()[:min(n, 512)], errOversize
	}
	return buf.Bytes(), nil
}

// transportFault classifies an error of the HTTP exchange.
func transportFault(ctx context.Context, endpoint string, err error) error {
	kind := FaultConnection
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		kind = FaultCanceled
		err = ctx.Err()
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		kind = FaultTimeout
	}
	return &SkillError{Kind: kind, Endpoint: endpoint, Err: err}
}
