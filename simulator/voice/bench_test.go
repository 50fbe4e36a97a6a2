package voice_test

import (
	"context"
	"testing"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/voice"
)

// BenchmarkVoiceSay measures one spoken turn to the example skill in
// process: resolve "who am i linked as" against its model, build and send
// the AccountIntent request, check the answer. Its baseline,
// BenchmarkVoiceSend, sends the same intent, pre-built, with
// Conversation.Send; the ratio is what speaking costs over sending.
// "unsigned" leaves out the request signatures, which dominate a turn.
func BenchmarkVoiceSay(b *testing.B) {
	benchVoice(b, func(ctx context.Context, v *voice.Voice) error {
		_, err := v.Say(ctx, "who am i linked as")
		return err
	})
}

func BenchmarkVoiceSend(b *testing.B) {
	req := simulator.IntentRequest("AccountIntent")
	benchVoice(b, func(ctx context.Context, v *voice.Voice) error {
		_, err := v.Conversation().Send(ctx, req)
		return err
	})
}

func benchVoice(b *testing.B, turn func(context.Context, *voice.Voice) error) {
	for _, signed := range []bool{true, false} {
		name := "signed"
		if !signed {
			name = "unsigned"
		}
		b.Run(name, func(b *testing.B) {
			v := exampleVoice(b, simulator.WithRequestSigning(signed))
			ctx := context.Background()
			if err := turn(ctx, v); err != nil { // warm the token cache
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := turn(ctx, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
