package serve

import (
	"testing"
	"time"
)

// TestDefaultTimeouts: a caller that sets none gets every one of them,
// which the raw-connection tests in timeout_test.go prove effective.
func TestDefaultTimeouts(t *testing.T) {
	s, err := Start(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.srv.ReadHeaderTimeout != DefaultReadHeaderTimeout || s.srv.ReadTimeout != DefaultReadTimeout ||
		s.srv.WriteTimeout != DefaultWriteTimeout || s.srv.IdleTimeout != DefaultIdleTimeout {
		t.Errorf("timeouts %v %v %v %v, want the defaults", s.srv.ReadHeaderTimeout, s.srv.ReadTimeout, s.srv.WriteTimeout, s.srv.IdleTimeout)
	}
	if DefaultReadTimeout > 10*time.Second {
		t.Errorf("a stalled body is held for %v: not 'within seconds'", DefaultReadTimeout)
	}
}
