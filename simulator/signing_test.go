package simulator_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/signing"
)

// testAuthority spares every test the three RSA keys of signing.New.
var testAuthority = sync.OnceValues(func() (*signing.Authority, error) { return signing.New(signing.Options{}) })

func authority(t testing.TB) *signing.Authority {
	t.Helper()
	a, err := testAuthority()
	check(t, err)
	return a
}

// verifyingSkill is a skill behind the reference verifier for a; it
// records the last body and headers that reached it.
type verifyingSkill struct {
	mu     sync.Mutex
	body   []byte
	header http.Header
}

func (s *verifyingSkill) handler(t testing.TB, a *signing.Authority) http.HandlerFunc {
	v := testutil.VerifierFor(t, a)
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.body, s.header = b, r.Header.Clone()
		s.mu.Unlock()
		_, _ = io.WriteString(w, `{"version":"1.0","response":{"outputSpeech":{"type":"PlainText","text":"Hi"}}}`)
	})
	return v.Handler(inner).ServeHTTP
}

// Signed requests pass a verifier that follows Amazon's rules, configured
// with the Authority's URL and root: signatures over the exact bytes sent,
// a fresh timestamp, a chain for echo-api.amazon.com.
func TestRequestSigning_PassesAVerifierConfiguredForIt(t *testing.T) {
	a := authority(t)
	var skill verifyingSkill
	sim, _ := httpSim(t, skill.handler(t, a), simulator.WithRequestSigning(true), simulator.WithRequestSigner(a))
	conv := sim.NewConversation(simulator.ConsentEmail)
	for _, req := range []simulator.Request{simulator.LaunchRequest(), simulator.IntentRequest("GetEmailIntent")} {
		turn := send(t, conv, req)
		if !bytes.Equal(skill.body, turn.RequestBody) {
			t.Fatal("the skill received other bytes than Turn.RequestBody")
		}
	}
	if got := skill.header.Get(simulator.HeaderSignatureCertChainURL); got != a.CertURL() {
		t.Errorf("SignatureCertChainUrl %q, want %q", got, a.CertURL())
	}
	if got, err := sim.RequestSigner(); got != a || err != nil {
		t.Errorf("RequestSigner() = %p, %v; want the Authority given", got, err)
	}
}

// Each fault makes a request the verifier refuses with 400, a *SkillError;
// the conversation's setting overrides the simulator's, and turning the
// fault off signs correctly again.
func TestRequestSigning_FaultsAreRefused(t *testing.T) {
	a := authority(t)
	var skill verifyingSkill
	sim, _ := httpSim(t, skill.handler(t, a), simulator.WithRequestSigner(a))
	for _, f := range signing.Faults() {
		conv := sim.NewConversation(simulator.ConsentNone)
		check(t, conv.SetRequestSigning(true, f))
		turn, err := conv.Send(context.Background(), simulator.LaunchRequest())
		var se *simulator.SkillError
		if !errors.As(err, &se) || se.StatusCode != http.StatusBadRequest || !strings.Contains(se.BodyStart, "verification failed") {
			t.Errorf("%s: %v, want the verifier's 400", f, err)
			continue
		}
		if f == signing.FaultStaleTimestamp {
			ts, _ := time.Parse(time.RFC3339, turn.Request.Request.Timestamp)
			if age := time.Since(ts); age < signing.StaleAge || age > signing.StaleAge+5*time.Second {
				t.Errorf("stale timestamp %s is %v old", turn.Request.Request.Timestamp, age)
			}
		}
		check(t, conv.SetRequestSigning(true, signing.FaultNone))
		send(t, conv, simulator.LaunchRequest())
		if on, fault := conv.RequestSigning(); !on || fault != signing.FaultNone {
			t.Errorf("RequestSigning() = %v, %q", on, fault)
		}
	}
	// Unsigned, the verifier refuses for want of a URL.
	conv := sim.NewConversation(simulator.ConsentNone)
	if _, err := conv.Send(context.Background(), simulator.LaunchRequest()); err == nil || !strings.Contains(err.Error(), "SignatureCertChainUrl is missing") {
		t.Errorf("unsigned: %v", err)
	}
}

func TestRequestSigning_OptionErrors(t *testing.T) {
	ep := simulator.HandlerEndpoint(http.NotFoundHandler())
	if _, err := simulator.New(simulator.WithEndpoint(ep), simulator.WithSigner(testSigner()), simulator.WithSigningFault("nope")); err == nil || !strings.Contains(err.Error(), "tampered-body") {
		t.Errorf("unknown fault: %v", err)
	}
	_, err := simulator.New(simulator.WithEndpoint(ep), simulator.WithSigner(testSigner()),
		simulator.WithSigningFault(signing.FaultTamperedBody), simulator.WithRequestSigning(false))
	if err == nil || !strings.Contains(err.Error(), "needs request signing on") {
		t.Errorf("fault with signing off: %v", err)
	}
	sim := newSim(t, ep)
	conv := sim.NewConversation(simulator.ConsentNone)
	if err := conv.SetRequestSigning(false, signing.FaultCertURLPort); err == nil {
		t.Error("SetRequestSigning(false, fault) accepted")
	}
	if err := conv.SetRequestSigning(true, "bad-cert-url"); err == nil {
		t.Error("SetRequestSigning with an unknown fault accepted")
	}
	stale := newSim(t, ep, simulator.WithSigningFault(signing.FaultStaleTimestamp), simulator.WithRequestSigner(authority(t)))
	if _, err := stale.SendEnvelope(context.Background(), []byte(`{"request":{"type":"LaunchRequest"}}`)); err == nil || !strings.Contains(err.Error(), "stale-timestamp") {
		t.Errorf("stale-timestamp on a whole envelope: %v", err)
	}
}
