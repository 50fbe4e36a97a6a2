package simulator

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"
)

// DefaultProbeTimeout bounds Probe when its context has no deadline.
const DefaultProbeTimeout = 3 * time.Second

// ErrNotAnswering is wrapped by Probe's error when nothing answers at the
// endpoint's address.
var ErrNotAnswering = errors.New("nothing answers")

// Probe checks, before any request, that something answers at the
// endpoint's address: a TCP connection, and for https:// the TLS handshake
// with the certificates the endpoint trusts. It sends no request, so a
// skill sees nothing of it. Endpoints that are not reached over the
// network (HandlerEndpoint, an Endpoint of the caller's) pass.
func Probe(ctx context.Context, e Endpoint) error {
	var h *httpEndpoint
	switch ep := e.(type) {
	case *httpEndpoint:
		h = ep
	case *lambdaEndpoint:
		h = ep.http
	default:
		return nil
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultProbeTimeout)
		defer cancel()
	}
	u, err := url.Parse(h.url)
	if err != nil {
		return err
	}
	addr := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		addr = net.JoinHostPort(u.Hostname(), port)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("%w at %s: %v", ErrNotAnswering, addr, dialReason(err))
	}
	defer conn.Close()
	if u.Scheme != "https" {
		return nil
	}
	cfg := &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	if tc := h.transport.TLSClientConfig; tc != nil {
		cfg.RootCAs = tc.RootCAs
	}
	tc := tls.Client(conn, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		return fmt.Errorf("TLS handshake with %s: %v", addr, err)
	}
	return nil
}

// dialReason is the part of a dial error a person needs: "connection
// refused", "i/o timeout".
func dialReason(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err.Error()
	}
	return err.Error()
}
