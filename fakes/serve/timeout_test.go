package serve_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/serve"
)

// The tests below are issue 14 defect 5: the fakes set only a header
// timeout, so a stalled body or an idle keep-alive connection was held
// forever. Each plays the stalling client on a raw TCP connection, with
// short timeouts so that the test is quick; the wait for the server is
// bounded by the test's own deadline, never by a sleep.

// bound is how long a test waits for the server to act on a timeout of a
// few hundred milliseconds: generous for a loaded machine, far below
// "forever".
const bound = 5 * time.Second

func start(t *testing.T, h http.Handler, o serve.Options) *serve.Server {
	t.Helper()
	s, err := serve.Start(h, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func dial(t *testing.T, s *serve.Server, send string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.Addr.String(), bound)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, send); err != nil {
		t.Fatal(err)
	}
	return conn
}

// readUntilClosed returns what the server sent before it closed conn, and
// fails the test if it is still open after bound.
func readUntilClosed(t *testing.T, conn net.Conn) string {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(bound))
	got, err := io.ReadAll(conn)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("connection still open after %v; received %q", bound, got)
	}
	return string(got)
}

func TestStalledBodyIsDropped(t *testing.T) {
	t.Parallel()
	readErr := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		readErr <- err
	})
	s := start(t, h, serve.Options{ReadTimeout: 300 * time.Millisecond})
	// Headers promise 1000 bytes; 10 come, then nothing.
	conn := dial(t, s, "POST / HTTP/1.1\r\nHost: fake\r\nContent-Length: 1000\r\n\r\n0123456789")
	readUntilClosed(t, conn)
	select {
	case err := <-readErr:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("the handler's body read ended with %v, want the read timeout", err)
		}
	case <-time.After(bound):
		t.Fatal("the handler is still reading the stalled body")
	}
}

func TestStalledHeadersAreDropped(t *testing.T) {
	t.Parallel()
	called := make(chan struct{}, 1)
	s := start(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called <- struct{}{} }),
		serve.Options{ReadHeaderTimeout: 300 * time.Millisecond})
	conn := dial(t, s, "GET / HTTP/1.1\r\nHost: fake\r\nX-Half: ") // no end of headers
	readUntilClosed(t, conn)
	select {
	case <-called:
		t.Error("a request without the end of its headers reached the handler")
	default:
	}
}

func TestIdleConnectionIsClosed(t *testing.T) {
	t.Parallel()
	s := start(t, hello, serve.Options{IdleTimeout: 300 * time.Millisecond})
	conn := dial(t, s, "GET / HTTP/1.1\r\nHost: fake\r\n\r\n") // keep-alive by default in HTTP/1.1
	got := readUntilClosed(t, conn)
	if !strings.HasPrefix(got, "HTTP/1.1 200 OK\r\n") || !strings.HasSuffix(got, "hello") {
		t.Errorf("the request on the connection was not answered before it idled out: %q", got)
	}
}

func TestClientThatStopsReadingReleasesTheHandler(t *testing.T) {
	t.Parallel()
	writeErr := make(chan error, 1)
	chunk := make([]byte, 1<<20)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 1 << 10 { // 1 GiB: far beyond any socket buffer
			if _, err := w.Write(chunk); err != nil {
				writeErr <- err
				return
			}
		}
		writeErr <- nil
	})
	s := start(t, h, serve.Options{WriteTimeout: 300 * time.Millisecond})
	dial(t, s, "GET / HTTP/1.1\r\nHost: fake\r\n\r\n") // and never read
	select {
	case err := <-writeErr:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("the handler's writes ended with %v, want the write timeout", err)
		}
	case <-time.After(bound):
		t.Fatal("the handler is still writing to a client that does not read")
	}
}

func TestNegativeTimeoutRefused(t *testing.T) {
	for _, o := range []serve.Options{{ReadTimeout: -1}, {WriteTimeout: -time.Second}, {IdleTimeout: -1}, {ReadHeaderTimeout: -1}} {
		if s, err := serve.Start(hello, o); err == nil || !strings.Contains(err.Error(), "is negative") {
			if s != nil {
				s.Close()
			}
			t.Errorf("Start(%+v) = %v, want a negative-timeout error", o, err)
		}
	}
}
