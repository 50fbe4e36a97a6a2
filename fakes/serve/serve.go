// Package serve runs a fake (any http.Handler, e.g. an alexaapi.Server or
// the OAuth fake) on a real port: loopback by default, optionally over TLS
// with a locally generated CA, with a graceful shutdown. It is what
// `asksim fakes` and the test harness use to put fakes where a skill in
// another process can reach them.
package serve

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DefaultAddr listens on loopback, on a free port.
const DefaultAddr = "127.0.0.1:0"

// Options configure Start.
type Options struct {
	// Addr is HOST:PORT to listen on. Defaults to DefaultAddr. Port 0 picks a
	// free port.
	Addr string
	// AllowRemote permits a host that is not loopback. The fakes accept any
	// token signed by a key anyone can generate, so a reachable fake is only
	// as private as its network.
	AllowRemote bool
	// CA, when set, serves HTTPS with a server certificate from the CA.
	CA *CA
	// Warnf receives warnings, e.g. about a non-loopback address.
	Warnf func(format string, args ...any)

	// The timeouts below keep a stalled or idle client from holding a
	// connection (and its goroutine) forever. Zero means the Default
	// constant below; negative values are refused.

	// ReadHeaderTimeout bounds how long a client may take to send its
	// headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds how long a client may take to send a whole
	// request, body included: a stalled body is dropped when it runs out.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time from the end of a request's headers to
	// the end of its answer, so a client that stops reading cannot hold
	// the handler. The fakes' scripted delays extend it for their answer.
	WriteTimeout time.Duration
	// IdleTimeout bounds how long a keep-alive connection may wait for
	// its next request.
	IdleTimeout time.Duration
}

// Timeouts applied when Options leave them zero, as the example skill
// sets them: the fakes' requests are a few KiB on loopback, so a client
// still sending after seconds has stalled.
const (
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 10 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
)

// Errors of Start about the address, as opposed to failures to listen.
var (
	ErrBadAddr     = errors.New("bad address")
	ErrNotLoopback = errors.New("address is not loopback")
	// ErrAddrInUse is a port another program (or fake) listens on already.
	ErrAddrInUse = errors.New("address in use")
)

// Server is a running fake.
type Server struct {
	// URL is the base URL, without a trailing slash, e.g.
	// http://127.0.0.1:41234: what envelopes carry as apiEndpoint.
	URL string
	// Addr is the address listened on.
	Addr net.Addr

	srv  *http.Server
	done chan error

	waitOnce sync.Once
	serveErr error
}

// Start listens and serves h in the background. The caller should call
// Shutdown or Close.
func Start(h http.Handler, o Options) (*Server, error) {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	for _, t := range []struct {
		name string
		d    *time.Duration
		def  time.Duration
	}{
		{"ReadHeaderTimeout", &o.ReadHeaderTimeout, DefaultReadHeaderTimeout},
		{"ReadTimeout", &o.ReadTimeout, DefaultReadTimeout},
		{"WriteTimeout", &o.WriteTimeout, DefaultWriteTimeout},
		{"IdleTimeout", &o.IdleTimeout, DefaultIdleTimeout},
	} {
		switch {
		case *t.d < 0:
			return nil, fmt.Errorf("serve: %s %v is negative", t.name, *t.d)
		case *t.d == 0:
			*t.d = t.def
		}
	}
	host, _, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return nil, fmt.Errorf("%w %q: want HOST:PORT, e.g. 127.0.0.1:8700 (%v)", ErrBadAddr, o.Addr, err)
	}
	loopback := IsLoopback(host)
	if !loopback && !o.AllowRemote {
		return nil, fmt.Errorf("%w: %q (fakes serve 127.0.0.1, ::1 or localhost unless remote access is allowed)", ErrNotLoopback, o.Addr)
	}
	ln, err := net.Listen("tcp", o.Addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s: %w; pick another port, or port 0 for a free one", o.Addr, ErrAddrInUse)
	}
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	if !loopback && o.Warnf != nil {
		o.Warnf("serving on %s, which other machines may reach; the fakes trust any token signed with the key", ln.Addr())
	}
	scheme := "http"
	if o.CA != nil {
		cfg, err := o.CA.ServerConfig(host)
		if err != nil {
			ln.Close()
			return nil, err
		}
		ln = tls.NewListener(ln, cfg)
		scheme = "https"
	}
	s := &Server{
		URL:  scheme + "://" + urlHost(host, ln.Addr()),
		Addr: ln.Addr(),
		srv: &http.Server{Handler: h, ReadHeaderTimeout: o.ReadHeaderTimeout, ReadTimeout: o.ReadTimeout,
			WriteTimeout: o.WriteTimeout, IdleTimeout: o.IdleTimeout},
		done: make(chan error, 1),
	}
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	return s, nil
}

// IsLoopback reports whether host (an IP or name, no port) is loopback.
// Names other than localhost are not trusted to be: they may resolve
// anywhere.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// urlHost is the host:port clients should use: the listened port, and the
// given host unless it was the unspecified address (":8700", "0.0.0.0"),
// which is reached through loopback.
func urlHost(host string, addr net.Addr) string {
	_, port, _ := net.SplitHostPort(addr.String())
	ip := net.ParseIP(host)
	if host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// Shutdown stops accepting calls and waits, until ctx ends, for those in
// flight to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	if serr := s.wait(); err == nil {
		err = serr
	}
	return err
}

// wait returns how serving ended, waiting for it once; later calls (a
// deferred Close after Shutdown) return the same at once.
func (s *Server) wait() error {
	s.waitOnce.Do(func() { s.serveErr = <-s.done })
	return s.serveErr
}

// Close stops the server at once. It may follow Shutdown.
func (s *Server) Close() error {
	err := s.srv.Close()
	if serr := s.wait(); err == nil {
		err = serr
	}
	return err
}
