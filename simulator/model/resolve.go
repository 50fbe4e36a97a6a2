package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// MaxWords bounds the utterances Resolve accepts; Alexa's own limit on a
// spoken request is far below it.
const MaxWords = 64

// Kind is what an utterance turns into.
type Kind int

const (
	KindIntent Kind = iota + 1 // an IntentRequest
	KindLaunch                 // a LaunchRequest ("open <invocation name>")
)

func (k Kind) String() string {
	switch k {
	case KindIntent:
		return "IntentRequest"
	case KindLaunch:
		return "LaunchRequest"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Resolution is the outcome of Resolve.
type Resolution struct {
	// Utterance is what was resolved, as given.
	Utterance string
	Kind      Kind
	// NewSession is true when the utterance named the skill ("open …",
	// "ask … to …"): Alexa starts a new session for it. False means the
	// utterance continues the current session (or starts one if none is open).
	NewSession bool
	Intent     string // "" for KindLaunch
	Sample     string // the sample utterance that matched, as written; "" for launch and fallback
	// Slots holds every slot the intent defines, in model order, filled or
	// not, as Alexa sends them.
	Slots []SlotMatch
	Score Score
	// Why explains the choice in plain English: the sample that matched, how
	// each slot was filled, and what it won against.
	Why []string
}

// Slot returns the named slot of the resolution, or nil.
func (r *Resolution) Slot(name string) *SlotMatch {
	for i := range r.Slots {
		if r.Slots[i].Name == name {
			return &r.Slots[i]
		}
	}
	return nil
}

// SlotMatch is one slot of a resolved intent.
type SlotMatch struct {
	Name string
	Type string
	// Value is what Alexa sends as slot.value: the spoken words for custom and
	// list types, the normalised value for AMAZON.NUMBER ("42"), DATE
	// ("2025-06-05"), TIME ("19:30"), DURATION ("PT5M") and Ordinal ("3").
	// Empty when the slot is not filled.
	Value string
	// Spoken is the words heard for the slot, normalised.
	Spoken string
	// Recognized reports that the words are a value of the slot type: a value
	// or synonym of a custom type, an entry of a built-in catalogue, or
	// something a built-in parser read.
	Recognized bool
	// Resolved is the entity resolution for custom slot types; nil for
	// built-in types and unfilled slots.
	Resolved *EntityResolution
}

// Filled reports whether the slot has a value.
func (s SlotMatch) Filled() bool { return s.Spoken != "" }

// Entity-resolution status codes.
const (
	ERSuccessMatch   = "ER_SUCCESS_MATCH"
	ERSuccessNoMatch = "ER_SUCCESS_NO_MATCH"
)

// EntityResolution is one resolutionsPerAuthority entry.
type EntityResolution struct {
	Authority string // amzn1.er-authority.echo-sdk.<skillId>.<SlotType>
	Status    string // ERSuccessMatch or ERSuccessNoMatch
	Values    []ResolvedValue
}

// ResolvedValue is a canonical slot value with its id.
type ResolvedValue struct {
	Name string
	ID   string
}

// Score ranks the samples that fit an utterance. Higher is better, compared
// field by field in this order:
//
//  1. Literal: more of the sample's own words (outside slots) matched;
//  2. Recognized: more slots filled with values their types know;
//  3. FreeWords: fewer words in slots whose types do not know them.
//
// Equal scores go to the intent listed first in the model, then to the
// sample listed first in the intent (built-in phrases after the model's own).
type Score struct {
	Literal    int
	Recognized int
	FreeWords  int
}

func (s Score) String() string {
	return fmt.Sprintf("literal=%d recognized=%d free=%d", s.Literal, s.Recognized, s.FreeWords)
}

// better reports whether s ranks strictly above o, and on which criterion.
func (s Score) better(o Score) (bool, string) {
	switch {
	case s.Literal != o.Literal:
		return s.Literal > o.Literal, fmt.Sprintf("more sample words matched (%d vs %d)", s.Literal, o.Literal)
	case s.Recognized != o.Recognized:
		return s.Recognized > o.Recognized, fmt.Sprintf("more slot values recognised (%d vs %d)", s.Recognized, o.Recognized)
	case s.FreeWords != o.FreeWords:
		return s.FreeWords < o.FreeWords, fmt.Sprintf("fewer unrecognised slot words (%d vs %d)", s.FreeWords, o.FreeWords)
	}
	return false, ""
}

// Resolve turns an utterance into a LaunchRequest or an intent with slots,
// using the model's samples. See the package documentation for the rules.
// It returns a *NoMatchError when nothing fits and the model has no
// AMAZON.FallbackIntent.
func (m *Model) Resolve(utterance string) (*Resolution, error) {
	r, err := m.resolve(utterance)
	if r != nil {
		r.Utterance = utterance
	}
	return r, err
}

func (m *Model) resolve(utterance string) (*Resolution, error) {
	toks := Words(utterance)
	if len(toks) == 0 {
		return nil, ErrEmptyUtterance
	}
	if len(toks) > MaxWords {
		return nil, fmt.Errorf("model: utterance has %d words, more than %d", len(toks), MaxWords)
	}
	verb, rest, ok := m.invocationPhrase(toks)
	if !ok {
		return m.resolveIntent(utterance, toks)
	}
	said := strings.Join(toks[:len(toks)-len(rest)], " ")
	if len(rest) == 0 {
		return &Resolution{Kind: KindLaunch, NewSession: true,
			Why: []string{fmt.Sprintf("%q names the skill's invocation name %q with no request: LaunchRequest in a new session", said, m.InvocationName)}}, nil
	}
	r, err := m.resolveIntent(utterance, rest)
	if err != nil {
		return nil, err
	}
	r.NewSession = true
	r.Why = append([]string{fmt.Sprintf("%q (%s + invocation name) opens a new session; resolving %q", said, verb, strings.Join(rest, " "))}, r.Why...)
	return r, nil
}

var (
	launchVerbs = []string{"open", "start", "launch", "begin", "load", "run"}
	askVerbs    = []string{"ask", "tell"}
	connectors  = []string{"to", "that", "for", "about", "whether", "if"}
)

// invocationPhrase recognises "open <name>" and "ask <name> [to] <rest>".
// rest is empty for a plain launch.
func (m *Model) invocationPhrase(toks []string) (verb string, rest []string, ok bool) {
	n := len(m.invocation)
	if len(toks) < n+1 || !equalWords(toks[1:n+1], m.invocation) {
		return "", nil, false
	}
	verb, rest = toks[0], toks[n+1:]
	switch {
	case slices.Contains(launchVerbs, verb):
		return verb, nil, len(rest) == 0
	case slices.Contains(askVerbs, verb):
		if len(rest) > 0 && slices.Contains(connectors, rest[0]) {
			rest = rest[1:] // "ask travel buddy to" alone launches too
		}
		return verb, rest, true
	}
	return "", nil, false
}

func (m *Model) resolveIntent(utterance string, toks []string) (*Resolution, error) {
	mt := m.newMatcher(toks)
	present := mt.present()
	var best, second *match
	for _, s := range m.idx.samples {
		if len(toks) < s.nLiteral+s.nSlots || !hasAll(present, s.literals) {
			continue
		}
		c, ok := mt.match(s)
		if !ok || (s.nLiteral == 0 && c.score.Recognized < s.nSlots) {
			// A sample of bare slots needs every slot recognised, or it
			// would swallow any utterance.
			continue
		}
		switch {
		case best == nil:
			best = c
		case c.beats(best):
			if best.s.intent != c.s.intent {
				second = best
			}
			best = c
		case c.s.intent != best.s.intent && (second == nil || c.beats(second)):
			second = c
		}
	}
	if best == nil {
		return m.noMatch(utterance, toks)
	}
	return mt.resolution(best, second), nil
}

func hasAll(present []uint64, ids []int32) bool {
	for _, id := range ids {
		if id < 0 || present[id>>6]&(1<<(uint(id)&63)) == 0 {
			return false
		}
	}
	return true
}

func (m *Model) noMatch(utterance string, toks []string) (*Resolution, error) {
	closest := m.closest(toks, m.idx.samples, 3)
	fb := m.intentByName[FallbackIntent]
	if fb == nil {
		return nil, &NoMatchError{Utterance: utterance, Closest: closest}
	}
	why := []string{fmt.Sprintf("no sample of any intent fits %q: %s", strings.Join(toks, " "), FallbackIntent)}
	if len(closest) > 0 {
		why = append(why, "closest samples: "+strings.Join(closest, "; "))
	}
	return &Resolution{Kind: KindIntent, Intent: FallbackIntent, Slots: emptySlots(fb), Why: why}, nil
}

func emptySlots(in *Intent) []SlotMatch {
	out := make([]SlotMatch, len(in.Slots))
	for i, sl := range in.Slots {
		out[i] = SlotMatch{Name: sl.Name, Type: sl.Type}
	}
	return out
}

// index is built once at load: every sample in tie-break order, and a
// vocabulary of literal words so most samples are rejected by a bitset test.
type index struct {
	samples []*sample
	vocab   map[string]int32
}

func (m *Model) buildIndex() {
	m.idx.vocab = map[string]int32{}
	for _, s := range m.idx.samples {
		s.literals = s.literals[:0]
		for _, p := range s.parts {
			if p.slot != nil {
				continue
			}
			id, ok := m.idx.vocab[p.word]
			if !ok {
				id = int32(len(m.idx.vocab))
				m.idx.vocab[p.word] = id
			}
			s.literals = append(s.literals, id)
		}
	}
}

// matcher holds the per-utterance state: the words, the reference date and
// a cache of slot fills shared by all samples.
type matcher struct {
	m     *Model
	toks  []string
	today time.Time
	fills map[fillKey]fill
	dp    []cell
}

type fillKey struct {
	typ  string
	i, j int
}

type fillKind uint8

const (
	fillReject fillKind = iota // the words cannot be a value of this type
	fillFree                   // accepted as spoken, not a known value
	fillExact                  // a known value of the type
)

type fill struct {
	kind  fillKind
	value string
	how   string // for Why
	er    *EntityResolution
}

type cell struct {
	ok    bool
	score Score // Recognized and FreeWords only; Literal is fixed per sample
	end   int   // for a slot part: the token index where its span ends
}

type span struct {
	slot *Slot
	i, j int
}

type match struct {
	s     *sample
	score Score
	spans []span
}

// beats reports whether c ranks strictly above o. Samples are visited in
// tie-break order, so on equal scores the earlier one stays.
func (c *match) beats(o *match) bool {
	b, _ := c.score.better(o.score)
	return b
}

func (m *Model) newMatcher(toks []string) *matcher {
	return &matcher{m: m, toks: toks, today: m.now(), fills: map[fillKey]fill{}}
}

func (mt *matcher) present() []uint64 {
	bits := make([]uint64, (len(mt.m.idx.vocab)+63)/64)
	for _, t := range mt.toks {
		if id, ok := mt.m.idx.vocab[t]; ok {
			bits[id>>6] |= 1 << (uint(id) & 63)
		}
	}
	return bits
}

// match finds the best way for sample s to cover all the words: literal
// words must be equal, each slot takes one or more words its type accepts.
// Among segmentations it keeps the best Score; on a tie, the shortest span
// for the earliest slot.
func (mt *matcher) match(s *sample) (*match, bool) {
	P, N := len(s.parts), len(mt.toks)
	w := N + 1
	if need := (P + 1) * w; cap(mt.dp) < need {
		mt.dp = make([]cell, need)
	} else {
		mt.dp = mt.dp[:need]
		clear(mt.dp)
	}
	dp := mt.dp
	dp[P*w+N] = cell{ok: true}
	for p := P - 1; p >= 0; p-- {
		pt := s.parts[p]
		for t := N - 1; t >= 0; t-- {
			if pt.slot == nil {
				if mt.toks[t] == pt.word && dp[(p+1)*w+t+1].ok {
					dp[p*w+t] = cell{ok: true, score: dp[(p+1)*w+t+1].score}
				}
				continue
			}
			var bestCell cell
			for e := t + 1; e <= N; e++ {
				next := dp[(p+1)*w+e]
				if !next.ok {
					continue
				}
				f := mt.fill(pt.slot, t, e)
				if f.kind == fillReject {
					continue
				}
				sc := next.score
				if f.kind == fillExact {
					sc.Recognized++
				} else {
					sc.FreeWords += e - t
				}
				if b, _ := sc.better(bestCell.score); !bestCell.ok || b {
					bestCell = cell{ok: true, score: sc, end: e}
				}
			}
			dp[p*w+t] = bestCell
		}
	}
	if !dp[0].ok {
		return nil, false
	}
	c := &match{s: s, score: dp[0].score}
	c.score.Literal = s.nLiteral
	for p, t := 0, 0; p < P; p++ {
		if s.parts[p].slot == nil {
			t++
			continue
		}
		e := dp[p*w+t].end
		c.spans = append(c.spans, span{slot: s.parts[p].slot, i: t, j: e})
		t = e
	}
	return c, true
}

// fill decides whether words i..j can fill a slot of the slot's type.
func (mt *matcher) fill(sl *Slot, i, j int) fill {
	key := fillKey{sl.Type, i, j}
	if f, ok := mt.fills[key]; ok {
		return f
	}
	f := mt.m.fillType(sl.Type, mt.toks[i:j], mt.today)
	mt.fills[key] = f
	return f
}

func (m *Model) fillType(typ string, toks []string, today time.Time) fill {
	spoken := strings.Join(toks, " ")
	if st := m.typeByName[typ]; st != nil {
		authority := "amzn1.er-authority.echo-sdk." + m.skillID() + "." + st.Name
		if vi, ok := st.lookup[spoken]; ok {
			v := st.Values[vi]
			how := fmt.Sprintf("value %q", v.Name)
			if normalize(v.Name) != spoken {
				how = fmt.Sprintf("synonym of %q", v.Name)
			}
			return fill{kind: fillExact, value: spoken,
				how: fmt.Sprintf("%s (id %s) → %s", how, v.ID, ERSuccessMatch),
				er:  &EntityResolution{Authority: authority, Status: ERSuccessMatch, Values: []ResolvedValue{{Name: v.Name, ID: v.ID}}}}
		}
		if !strings.HasPrefix(typ, "AMAZON.") {
			return fill{kind: fillFree, value: spoken,
				how: fmt.Sprintf("not a value or synonym of %s → %s, kept as spoken", st.Name, ERSuccessNoMatch),
				er:  &EntityResolution{Authority: authority, Status: ERSuccessNoMatch}}
		}
		// A built-in type extended with values: fall through to the built-in.
	}
	parsed := func(v string, ok bool) fill {
		if !ok {
			return fill{kind: fillReject}
		}
		return fill{kind: fillExact, value: v, how: "read as " + v}
	}
	switch typ {
	case "AMAZON.NUMBER":
		return parsed(parseNumber(toks))
	case "AMAZON.Ordinal":
		n, ok := ordinalValue(toks)
		return parsed(fmt.Sprint(n), ok)
	case "AMAZON.DATE":
		return parsed(parseDate(toks, today))
	case "AMAZON.TIME":
		return parsed(parseTime(toks))
	case "AMAZON.DURATION":
		return parsed(parseDuration(toks))
	case "AMAZON.SearchQuery":
		return fill{kind: fillFree, value: spoken, how: "free text"}
	}
	if list, ok := builtinLists[typ]; ok {
		if list[spoken] {
			return fill{kind: fillExact, value: spoken, how: "in the built-in list"}
		}
		return fill{kind: fillFree, value: spoken, how: "not in the built-in list, kept as spoken"}
	}
	return fill{kind: fillFree, value: spoken, how: "kept as spoken (no built-in catalogue for " + typ + ")"}
}

func (mt *matcher) resolution(best, second *match) *Resolution {
	s := best.s
	r := &Resolution{Kind: KindIntent, Intent: s.intent.Name, Score: best.score}
	what := fmt.Sprintf("sample %q", s.text)
	if s.builtin {
		what = fmt.Sprintf("built-in phrase %q", s.text)
	} else {
		r.Sample = s.text
	}
	r.Why = append(r.Why, fmt.Sprintf("matched %s of %s (%s)", what, s.intent.Name, best.score))
	byName := map[string]span{}
	for _, sp := range best.spans {
		byName[sp.slot.Name] = sp
	}
	for _, sl := range s.intent.Slots {
		sp, ok := byName[sl.Name]
		if !ok {
			r.Slots = append(r.Slots, SlotMatch{Name: sl.Name, Type: sl.Type})
			r.Why = append(r.Why, fmt.Sprintf("slot %s (%s) not in the sample: left empty", sl.Name, sl.Type))
			continue
		}
		sm, why := mt.slotMatch(sl, sp)
		r.Slots = append(r.Slots, sm)
		r.Why = append(r.Why, why)
	}
	if second != nil {
		_, reason := best.score.better(second.score)
		if reason == "" {
			reason = "same score; " + s.intent.Name + " comes first in the model"
		}
		r.Why = append(r.Why, fmt.Sprintf("also fits %s sample %q (%s); %s won: %s",
			second.s.intent.Name, second.s.text, second.score, s.intent.Name, reason))
	}
	return r
}

func (mt *matcher) slotMatch(sl *Slot, sp span) (SlotMatch, string) {
	f := mt.fill(sl, sp.i, sp.j)
	spoken := strings.Join(mt.toks[sp.i:sp.j], " ")
	sm := SlotMatch{Name: sl.Name, Type: sl.Type, Value: f.value, Spoken: spoken, Recognized: f.kind == fillExact, Resolved: f.er}
	return sm, fmt.Sprintf("slot %s (%s) = %q: %s", sl.Name, sl.Type, spoken, f.how)
}

// closest ranks samples by word edit distance to the utterance. Costs are
// in half words: a wrong, missing or extra word costs 2; a {slot} takes its
// first word free and each further word for 1, so that samples made mostly
// of slots do not look close to everything.
func (m *Model) closest(toks []string, samples []*sample, n int) []string {
	type scored struct {
		s *sample
		d int
	}
	// Keep the n best in a small sorted slice: stable in model order, and
	// no per-sample allocation (this runs over every sample on a miss).
	top := make([]scored, 0, n+1)
	var buf []int
	for _, s := range samples {
		if len(top) == n && distanceFloor(len(toks), len(s.parts)) >= top[n-1].d {
			continue
		}
		var d int
		d, buf = editDistance(toks, s.parts, buf)
		if len(top) == n && d >= top[n-1].d {
			continue
		}
		dup := false
		for _, t := range top {
			dup = dup || (t.s.intent == s.intent && t.s.text == s.text)
		}
		if dup {
			continue
		}
		i := len(top)
		for i > 0 && top[i-1].d > d {
			i--
		}
		top = slices.Insert(top, i, scored{s, d})
		if len(top) > n {
			top = top[:n]
		}
	}
	out := make([]string, len(top))
	for i, t := range top {
		out[i] = t.s.intent.Name + ": " + t.s.text
	}
	return out
}

// distanceFloor is a lower bound of editDistance from the lengths alone:
// each part beyond the words costs a deletion (2), each word beyond the parts
// at least a slot's extra word (1).
func distanceFloor(words, parts int) int {
	if parts > words {
		return 2 * (parts - words)
	}
	return words - parts
}

// editDistance reuses buf between calls and returns it.
func editDistance(toks []string, parts []part, buf []int) (int, []int) {
	if cap(buf) < 2*(len(toks)+1) {
		buf = make([]int, 2*(len(toks)+1))
	}
	prev, cur := buf[:len(toks)+1], buf[len(toks)+1:2*(len(toks)+1)]
	for j := range prev {
		prev[j] = 2 * j
	}
	for i := 1; i <= len(parts); i++ {
		cur[0] = 2 * i
		p := parts[i-1]
		for j := 1; j <= len(toks); j++ {
			sub := 2
			if p.slot != nil || p.word == toks[j-1] {
				sub = 0
			}
			v := min(prev[j-1]+sub, prev[j]+2, cur[j-1]+2)
			if p.slot != nil {
				v = min(v, cur[j-1]+1) // the slot takes one more word
			}
			cur[j] = v
		}
		prev, cur = cur, prev
	}
	return prev[len(toks)], buf
}
