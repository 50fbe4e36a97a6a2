package signing

import (
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// chainServer serves the chain file on every path, so that a certificate
// URL breaking only the path rule still fetches it. Its main port speaks
// TLS and, for the scheme fault, plain HTTP: the first byte of a
// connection says which. A second port, TLS only, is the port fault's.
type chainServer struct {
	srv                 *http.Server
	host, port, altPort string
}

func startChainServer(addr string, cfg *tls.Config, chain []byte) (*chainServer, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("request-signing address %q: want HOST:PORT, e.g. 127.0.0.1:8443", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("serve the request-signing chain on %s: %w", addr, err)
	}
	alt, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("serve the request-signing chain on a second port: %w", err)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	s := &chainServer{host: host, port: portOf(ln), altPort: portOf(alt)}
	s.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				w.Header().Set("Allow", "GET, HEAD")
				http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
				return
			}
			w.Header().Set("Content-Type", "application/x-pem-file")
			w.Header().Set("Content-Length", strconv.Itoa(len(chain)))
			if r.Method == http.MethodGet {
				_, _ = w.Write(chain)
			}
		}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       time.Minute,
		// A verifier that does not trust the root fails its handshake;
		// that is its test's to report, not a line in asksim's output.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() { _ = s.srv.Serve(&sniffListener{Listener: ln, cfg: cfg}) }()
	go func() { _ = s.srv.Serve(tls.NewListener(alt, cfg)) }()
	if host == "127.0.0.1" {
		// The host fault names localhost, which may resolve to ::1 first;
		// a client that tries one address only then still finds the chain.
		// Best effort: the port may be taken on ::1, or IPv6 absent.
		if v6, err := net.Listen("tcp", net.JoinHostPort("::1", s.port)); err == nil {
			go func() { _ = s.srv.Serve(&sniffListener{Listener: v6, cfg: cfg}) }()
		}
	}
	return s, nil
}

func (s *chainServer) close() error { return s.srv.Close() }

func (s *chainServer) url(scheme, host, port, path string) string {
	return scheme + "://" + net.JoinHostPort(host, port) + path
}

// otherHost names the server by another host: localhost for a loopback
// address, else 127.0.0.1.
func (s *chainServer) otherHost() string {
	if s.host == "localhost" {
		return "127.0.0.1"
	}
	return "localhost"
}

// sniffListener hands out connections that become TLS when the client's
// first byte is a TLS handshake record, and stay plain otherwise.
type sniffListener struct {
	net.Listener
	cfg *tls.Config
}

func (l *sniffListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &sniffConn{Conn: c, cfg: l.cfg}, nil
}

// tlsHandshake is the content type of a TLS handshake record, the first
// byte a TLS client sends.
const tlsHandshake = 0x16

// sniffConn decides on its first read, within the server's read deadline,
// whether it speaks TLS. Deadlines go to the raw connection either way.
type sniffConn struct {
	net.Conn
	cfg   *tls.Config
	once  sync.Once
	inner net.Conn
	err   error
}

func (c *sniffConn) decide() {
	var b [1]byte
	n, err := c.Conn.Read(b[:])
	if n == 0 {
		c.err = err
		if c.err == nil {
			c.err = io.ErrUnexpectedEOF
		}
		return
	}
	pc := &prefixConn{Conn: c.Conn, prefix: b[:]}
	if b[0] == tlsHandshake {
		c.inner = tls.Server(pc, c.cfg)
		return
	}
	c.inner = pc
}

func (c *sniffConn) Read(p []byte) (int, error) {
	c.once.Do(c.decide)
	if c.inner == nil {
		return 0, c.err
	}
	return c.inner.Read(p)
}

func (c *sniffConn) Write(p []byte) (int, error) {
	c.once.Do(c.decide)
	if c.inner == nil {
		return 0, c.err
	}
	return c.inner.Write(p)
}

// Close closes the raw connection, which also ends a first read still
// waiting; a TLS close_notify is not worth a lock against that read.
func (c *sniffConn) Close() error { return c.Conn.Close() }

// prefixConn reads prefix before the rest of the connection.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixConn) Read(p []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(p, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}
