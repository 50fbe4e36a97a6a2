package simulator

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Envelopes are encoded on every turn, and three of their strings are
// kilobyte-long JWTs. encoding/json spends most of a turn's budget on them
// (reflection, HTML escaping, then re-validating a custom marshaller's
// output), so the envelope has a hand-written appender. Its output is exactly
// what encoding/json writes with SetEscapeHTML(false), which the tests check;
// < > & stay unescaped as in Alexa's own (Jackson-written) requests.

// Indent returns the envelope as indented JSON, for people: the same bytes
// as AppendJSON with two-space indentation (json.MarshalIndent would
// HTML-escape < > & in it).
func (e *Envelope) Indent() ([]byte, error) {
	b, err := e.AppendJSON(nil)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// MarshalJSON encodes the envelope.
func (e *Envelope) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil) }

// AppendJSON appends the compact JSON encoding of e to dst.
func (e *Envelope) AppendJSON(dst []byte) ([]byte, error) {
	if dst == nil {
		// Three JWTs dominate the size; reserve for them and the rest.
		u := &e.Context.System.User
		n := 2048 + len(e.Context.System.APIAccessToken) + 2*len(u.AccessToken)
		if u.Permissions != nil {
			n += 2 * len(u.Permissions.ConsentToken)
		}
		dst = make([]byte, 0, n)
	}
	w := jsonWriter{b: dst}
	w.open()
	w.key("version")
	w.str(e.Version)
	if e.Session != nil {
		w.key("session")
		w.session(e.Session)
	}
	w.key("context")
	w.context(&e.Context)
	w.key("request")
	w.request(&e.Request)
	w.close()
	return w.b, w.err
}

type jsonWriter struct {
	b     []byte
	comma bool
	err   error
}

func (w *jsonWriter) open() { w.b = append(w.b, '{'); w.comma = false }
func (w *jsonWriter) close() {
	w.b = append(w.b, '}')
	w.comma = true
}

func (w *jsonWriter) key(k string) {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
	w.comma = true
}

func (w *jsonWriter) str(s string) { w.b = appendJSONString(w.b, s) }

func (w *jsonWriter) boolean(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *jsonWriter) int(v int64) { w.b = strconv.AppendInt(w.b, v, 10) }

// raw writes an already-encoded value, compacted as encoding/json would.
func (w *jsonWriter) raw(r json.RawMessage) {
	if json.Valid(r) && isCompact(r) {
		w.b = append(w.b, r...)
		return
	}
	w.value(r)
}

// value writes v through encoding/json, for the small, rare parts.
func (w *jsonWriter) value(v any) {
	b, err := marshalNoHTML(v)
	if err != nil && w.err == nil {
		w.err = err
	}
	w.b = append(w.b, b...)
}

func (w *jsonWriter) optStr(k, v string) {
	if v != "" {
		w.key(k)
		w.str(v)
	}
}

func (w *jsonWriter) session(s *Session) {
	w.open()
	w.key("new")
	w.boolean(s.New)
	w.key("sessionId")
	w.str(s.SessionID)
	w.key("application")
	w.application(s.Application)
	if len(s.Attributes) > 0 {
		w.key("attributes")
		w.raw(s.Attributes)
	}
	w.key("user")
	w.user(&s.User)
	w.close()
}

func (w *jsonWriter) application(a Application) {
	w.open()
	w.key("applicationId")
	w.str(a.ApplicationID)
	w.close()
}

func (w *jsonWriter) user(u *User) {
	w.open()
	w.key("userId")
	w.str(u.UserID)
	w.optStr("accessToken", u.AccessToken)
	if u.Permissions != nil {
		w.key("permissions")
		w.open()
		w.optStr("consentToken", u.Permissions.ConsentToken)
		if len(u.Permissions.Scopes) > 0 {
			w.key("scopes")
			w.value(u.Permissions.Scopes)
		}
		w.close()
	}
	w.close()
}

func (w *jsonWriter) context(c *Context) {
	w.open()
	w.key("System")
	w.system(&c.System)
	if c.AudioPlayer != nil {
		w.key("AudioPlayer")
		w.value(c.AudioPlayer)
	}
	if c.Viewport != nil {
		w.key("Viewport")
		w.value(c.Viewport)
	}
	if len(c.Viewports) > 0 {
		w.key("Viewports")
		w.value(c.Viewports)
	}
	w.extra(c.Extra, knownContextKeys)
	w.close()
}

func (w *jsonWriter) system(s *System) {
	w.open()
	w.key("application")
	w.application(s.Application)
	w.key("user")
	w.user(&s.User)
	if d := s.Device; d != nil {
		w.key("device")
		w.open()
		w.key("deviceId")
		w.str(d.DeviceID)
		w.optStr("persistentEndpointId", d.PersistentEndpointID)
		w.key("supportedInterfaces")
		w.sortedRaw(d.SupportedInterfaces)
		w.close()
	}
	if s.Person != nil {
		w.key("person")
		w.value(s.Person)
	}
	if s.Unit != nil {
		w.key("unit")
		w.value(s.Unit)
	}
	w.key("apiEndpoint")
	w.str(s.APIEndpoint)
	w.optStr("apiAccessToken", s.APIAccessToken)
	w.close()
}

// sortedRaw writes a map of raw values with sorted keys, {} when empty.
func (w *jsonWriter) sortedRaw(m map[string]json.RawMessage) {
	w.open()
	for _, k := range sortedKeys(m, nil) {
		w.member(k)
		w.raw(m[k])
	}
	w.close()
}

// extra writes the keys of extra that the struct does not model, sorted.
func (w *jsonWriter) extra(extra map[string]json.RawMessage, known map[string]bool) {
	for _, k := range sortedKeys(extra, known) {
		w.member(k)
		w.raw(extra[k])
	}
}

// member writes the name of an object member whose key may need escaping.
func (w *jsonWriter) member(k string) {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.str(k)
	w.b = append(w.b, ':')
	w.comma = true
}

// sortedKeys returns m's keys that are not in skip, sorted, as
// encoding/json orders map keys.
func sortedKeys[V any](m map[string]V, skip map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if !skip[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func (w *jsonWriter) request(r *Request) {
	w.open()
	w.key("type")
	w.str(r.Type)
	w.key("requestId")
	w.str(r.RequestID)
	w.key("timestamp")
	w.str(r.Timestamp)
	w.optStr("locale", r.Locale)
	if r.ShouldLinkResultBeReturned != nil {
		w.key("shouldLinkResultBeReturned")
		w.boolean(*r.ShouldLinkResultBeReturned)
	}
	if len(r.Task) > 0 {
		w.key("task")
		w.raw(r.Task)
	}
	w.optStr("dialogState", r.DialogState)
	if r.Intent != nil {
		w.key("intent")
		w.intent(r.Intent)
	}
	w.optStr("reason", r.Reason)
	w.optStr("name", r.Name)
	if r.Status != nil {
		w.key("status")
		w.value(r.Status)
	}
	if len(r.Payload) > 0 {
		w.key("payload")
		w.raw(r.Payload)
	}
	if r.Token != nil {
		w.key("token")
		w.str(*r.Token)
	}
	if r.OffsetInMilliseconds != nil {
		w.key("offsetInMilliseconds")
		w.int(*r.OffsetInMilliseconds)
	}
	if r.Error != nil {
		w.key("error")
		w.value(r.Error)
	}
	if r.Cause != nil {
		w.key("cause")
		w.value(r.Cause)
	}
	if r.CurrentPlaybackState != nil {
		w.key("currentPlaybackState")
		w.value(r.CurrentPlaybackState)
	}
	w.extra(r.Extra, knownRequestKeys)
	w.close()
}

func (w *jsonWriter) intent(in *Intent) {
	w.open()
	w.key("name")
	w.str(in.Name)
	w.key("confirmationStatus")
	w.str(in.ConfirmationStatus)
	if len(in.Slots) > 0 {
		w.key("slots")
		w.open()
		for _, n := range sortedKeys(in.Slots, nil) {
			w.member(n)
			s := in.Slots[n]
			w.slot(&s)
		}
		w.close()
	}
	w.close()
}

func (w *jsonWriter) slot(s *Slot) {
	w.open()
	w.key("name")
	w.str(s.Name)
	w.optStr("value", s.Value)
	w.key("confirmationStatus")
	w.str(s.ConfirmationStatus)
	w.optStr("source", s.Source)
	if s.Resolutions != nil {
		w.key("resolutions")
		w.value(s.Resolutions)
	}
	if s.SlotValue != nil {
		w.key("slotValue")
		w.value(s.SlotValue)
	}
	w.close()
}

var (
	knownContextKeys = knownKeys(typeOf[contextAlias]())
	knownRequestKeys = knownKeys(typeOf[requestAlias]())
)

// appendJSONString appends s as a JSON string. Tokens and ids need no
// escaping, so the common case is one scan and one copy.
func appendJSONString(dst []byte, s string) []byte {
	if plainASCII(s) {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	b, _ := marshalNoHTML(s)
	return append(dst, b...)
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// plainASCII reports whether s needs no JSON escaping: no control
// character, quote, backslash or non-ASCII byte. It tests eight bytes at a
// time, as tokens are long.
func plainASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		v := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
		q := v ^ (lsb * '"')
		bs := v ^ (lsb * '\\')
		if (v|(v-lsb*0x20)|(q-lsb)&^q|(bs-lsb)&^bs)&msb != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// encodedContext is the JSON of a conversation's context, cached. The
// context is the same turn after turn: it changes only with the consent,
// the device (both counted by Conversation.gen) and the tokens, and its
// tokens and ids are most of an envelope's bytes.
type encodedContext struct {
	gen               uint64
	token, consentJWT string
	json              []byte
}

// encode returns the JSON of env, a turn's envelope built by c.Envelope:
// the bytes AppendJSON writes, with the context's taken from the cache when
// it has not changed.
func (c *Conversation) encode(env *Envelope) ([]byte, error) {
	if len(env.Context.Extra) > 0 {
		return env.AppendJSON(nil)
	}
	sys := &env.Context.System
	consentJWT := ""
	if p := sys.User.Permissions; p != nil {
		consentJWT = p.ConsentToken
	}
	e := &c.encoded
	if e.json == nil || e.gen != c.gen || e.token != sys.APIAccessToken || e.consentJWT != consentJWT {
		cw := jsonWriter{}
		cw.context(&env.Context)
		if cw.err != nil {
			return nil, cw.err
		}
		*e = encodedContext{gen: c.gen, token: sys.APIAccessToken, consentJWT: consentJWT, json: cw.b}
	}
	n := len(e.json) + 1024
	if env.Session != nil {
		n += len(e.json) / 2
	}
	w := jsonWriter{b: make([]byte, 0, n)}
	w.open()
	w.key("version")
	w.str(env.Version)
	if env.Session != nil {
		w.key("session")
		w.session(env.Session)
	}
	w.key("context")
	w.b = append(w.b, e.json...)
	w.key("request")
	w.request(&env.Request)
	w.close()
	return w.b, w.err
}
