package simulator_test

import (
	"testing"

	"github.com/asksim/asksim/internal/testutil"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
)

// BenchmarkEnvelope measures one turn's envelope: build it (cached token) and
// marshal it. Its baseline, BenchmarkEnvelopeMarshalOnly, marshals a prebuilt
// envelope, so the difference is what building costs.
func BenchmarkEnvelope(b *testing.B) {
	for _, scenario := range []string{"none", "email+linked"} {
		b.Run(scenario, func(b *testing.B) {
			consent, _ := simulator.ParseConsent(scenario)
			conv := testutil.Deterministic(b).NewConversation(consent)
			req := simulator.IntentRequest("OrderIntent", simulator.WithSlot("item", "coffee"))
			b.ReportAllocs()
			for b.Loop() {
				env, err := conv.Envelope(req)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := env.AppendJSON(nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEnvelopeMarshalOnly(b *testing.B) {
	conv := testutil.Deterministic(b).NewConversation(simulator.ConsentEmailLinked)
	env, err := conv.Envelope(simulator.IntentRequest("OrderIntent", simulator.WithSlot("item", "coffee")))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := env.AppendJSON(nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMintToken signs a new apiAccessToken each time (no cache), against
// BenchmarkCachedToken, the cache hit every later turn pays.
func BenchmarkMintToken(b *testing.B) {
	signer := testutil.Signer()
	f := apitoken.For{SkillID: simulator.DefaultSkillID, UserID: "u", DeviceID: "d", Scopes: []string{alexa.ScopeEmail}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := signer.Sign(signer.Claims(f)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCachedToken(b *testing.B) {
	signer := testutil.Signer()
	f := apitoken.For{SkillID: simulator.DefaultSkillID, UserID: "u", DeviceID: "d", Scopes: []string{alexa.ScopeEmail}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := signer.APIAccessToken(f); err != nil {
			b.Fatal(err)
		}
	}
}
