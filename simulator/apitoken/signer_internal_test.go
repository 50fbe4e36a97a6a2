package apitoken

import "testing"

// TestConcurrentCallersShareOneMint checks the in-flight map: a caller that
// asks for a token being minted waits for that mint and gets its token,
// rather than signing again.
func TestConcurrentCallersShareOneMint(t *testing.T) {
	s, err := NewGeneratedSigner()
	if err != nil {
		t.Fatal(err)
	}
	f := For{SkillID: "amzn1.ask.skill.00000000-0000-4000-8000-0000a5c51a00", UserID: "u", DeviceID: "d"}
	k := s.tokenKey(f, false)
	m := &minting{done: make(chan struct{})}
	s.mu.Lock()
	s.inflight[k] = m
	s.mu.Unlock()

	got := make(chan string)
	go func() {
		tok, _ := s.APIAccessToken(f)
		got <- tok
	}()
	m.token = "minted-by-the-first-caller"
	close(m.done)
	if tok := <-got; tok != m.token {
		t.Fatalf("waiter got %q, want the in-flight mint's token", tok)
	}
}

// TestPrefetchFillsTheCache checks that Prefetch mints a conversation's
// tokens, the apiAccessToken and the consent token, without a turn asking
// for them.
func TestPrefetchFillsTheCache(t *testing.T) {
	s, err := NewGeneratedSigner()
	if err != nil {
		t.Fatal(err)
	}
	f := For{SkillID: "amzn1.ask.skill.00000000-0000-4000-8000-0000a5c51a00", UserID: "u", DeviceID: "d",
		Scopes: []string{"alexa::profile:email:read"}}
	s.Prefetch(f)
	// Prefetch registers its mints before returning: each token is cached
	// or being minted; join the mint, then look in the cache.
	for _, deprecated := range []bool{false, true} {
		k := s.tokenKey(f, deprecated)
		for {
			s.mu.Lock()
			_, cached := s.cache[k]
			m, inflight := s.inflight[k]
			s.mu.Unlock()
			if cached {
				break
			}
			if !inflight {
				t.Fatalf("token (deprecated=%v) neither cached nor being minted after Prefetch", deprecated)
			}
			<-m.done
		}
	}
}
