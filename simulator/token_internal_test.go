package simulator

import "testing"

// TestConcurrentCallersShareOneMint checks the in-flight map: a caller that
// asks for a token being minted waits for that mint and gets its token,
// rather than signing again.
func TestConcurrentCallersShareOneMint(t *testing.T) {
	s, err := NewGeneratedSigner()
	if err != nil {
		t.Fatal(err)
	}
	f := TokenFor{SkillID: DefaultSkillID, UserID: "u", DeviceID: "d"}
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

// TestPrefetchFillsTheCache checks that a new conversation's tokens are
// minted without a turn asking for them.
func TestPrefetchFillsTheCache(t *testing.T) {
	s, err := NewGeneratedSigner()
	if err != nil {
		t.Fatal(err)
	}
	sim, err := New(WithSigner(s))
	if err != nil {
		t.Fatal(err)
	}
	conv := sim.NewConversation(ConsentEmail)
	f := conv.TokenFor()
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
				t.Fatalf("token (deprecated=%v) neither cached nor being minted after NewConversation", deprecated)
			}
			<-m.done
		}
	}
}
