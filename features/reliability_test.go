package features_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/asksim/asksim/fakes/serve"
	"github.com/asksim/asksim/features"
)

// takenAddr returns the address of a loopback port that stays taken for
// the test.
func takenAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l.Addr().String()
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestNewSuite_FailsCleanlyOnABadAddress is issue 14 defect 1: NewSuite's
// deferred cleanup closed its named result, nil on every error path, so a
// taken port or a non-loopback address panicked instead of returning an
// error.
func TestNewSuite_FailsCleanlyOnABadAddress(t *testing.T) {
	taken := takenAddr(t)
	for _, tc := range []struct {
		name string
		cfg  features.Config
		want []string
		is   error
	}{
		{"api port taken", features.Config{APIAddr: taken}, []string{"--api-addr", taken, "address already in use"}, nil},
		{"oauth port taken", features.Config{OAuthAddr: taken}, []string{"--oauth-addr", taken}, nil},
		{"api not loopback", features.Config{APIAddr: "192.0.2.1:8700"}, []string{"--api-addr", "192.0.2.1:8700"}, serve.ErrNotLoopback},
		{"oauth not HOST:PORT", features.Config{OAuthAddr: "localhost"}, []string{"--oauth-addr", `"localhost"`}, serve.ErrBadAddr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := features.NewSuite(context.Background(), tc.cfg)
			if err == nil {
				s.Close()
				t.Fatal("NewSuite succeeded")
			}
			if s != nil {
				t.Errorf("NewSuite returned a Suite with its error %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
			// A caller that defers Close before checking the error must
			// not panic either.
			if err := s.Close(); err != nil {
				t.Errorf("Close of the nil Suite: %v", err)
			}
		})
	}
}

// TestNewSuite_ErrorStopsWhatStarted: the Alexa API fake listens before
// the OAuth fake's address fails; the failed NewSuite must not leave it
// holding its port.
func TestNewSuite_ErrorStopsWhatStarted(t *testing.T) {
	api := freeAddr(t)
	_, err := features.NewSuite(context.Background(), features.Config{APIAddr: api, OAuthAddr: takenAddr(t)})
	if err == nil || !strings.Contains(err.Error(), "--oauth-addr") {
		t.Fatalf("NewSuite = %v, want the --oauth-addr error", err)
	}
	l, err := net.Listen("tcp", api)
	if err != nil {
		t.Fatalf("the Alexa API fake still holds %s after NewSuite failed: %v", api, err)
	}
	l.Close()
}
