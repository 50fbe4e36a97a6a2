package simulator

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// encodedContext is the JSON of a conversation's context. The context is
// the same turn after turn: it changes only with the consent, the device
// (both counted by Conversation.gen) and the tokens. Encoding it is most of
// the cost of encoding an envelope (its tokens and ids are kilobytes), so
// Send encodes it once and reuses it.
type encodedContext struct {
	gen               uint64
	token, consentJWT string
	json              []byte
	// user and app are session.user and session.application, the same
	// values as in the context.
	user, app []byte
}

// encode returns the JSON of env, a turn's envelope built by c.Envelope,
// byte for byte what json.Marshal(env) returns. It writes the members
// itself rather than through json.Marshal, which would re-scan the
// MarshalJSON output of Context and Request to compact it.
func (c *Conversation) encode(env *Envelope) ([]byte, error) {
	if len(env.Context.Extra) > 0 || len(env.Request.Extra) > 0 {
		// Extra values are caller's bytes, which json.Marshal compacts.
		return json.Marshal(env)
	}
	sys := &env.Context.System
	consentJWT := ""
	if p := sys.User.Permissions; p != nil {
		consentJWT = p.ConsentToken
	}
	e := &c.encoded
	if e.json == nil || e.gen != c.gen || e.token != sys.APIAccessToken || e.consentJWT != consentJWT {
		b, err := env.Context.MarshalJSON()
		if err != nil {
			return nil, err
		}
		*e = encodedContext{gen: c.gen, token: sys.APIAccessToken, consentJWT: consentJWT, json: b}
		if e.user, err = json.Marshal(sys.User); err != nil {
			return nil, err
		}
		if e.app, err = json.Marshal(sys.Application); err != nil {
			return nil, err
		}
	}
	req, err := env.Request.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var sess []byte
	if s := env.Session; s != nil {
		if sess, err = e.session(s, &sys.User, &sys.Application); err != nil {
			return nil, err
		}
	}
	version, err := json.Marshal(env.Version)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 0, len(`{"version":,"session":,"context":,"request":}`)+len(version)+len(sess)+len(e.json)+len(req))
	buf = append(buf, `{"version":`...)
	buf = append(buf, version...)
	if sess != nil {
		buf = append(buf, `,"session":`...)
		buf = append(buf, sess...)
	}
	buf = append(buf, `,"context":`...)
	buf = append(buf, e.json...)
	buf = append(buf, `,"request":`...)
	buf = append(buf, req...)
	return append(buf, '}'), nil
}

// session encodes s as json.Marshal does, reusing the cached user and
// application, which are the context's.
func (e *encodedContext) session(s *Session, user *User, app *Application) ([]byte, error) {
	if !sameUser(&s.User, user) || s.Application != *app {
		return json.Marshal(s)
	}
	id, err := json.Marshal(s.SessionID)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, 64+len(id)+len(e.app)+len(s.Attributes)+len(e.user))
	b = append(b, `{"new":`...)
	b = strconv.AppendBool(b, s.New)
	b = append(b, `,"sessionId":`...)
	b = append(b, id...)
	b = append(b, `,"application":`...)
	b = append(b, e.app...)
	if len(s.Attributes) > 0 {
		// As json.Marshal writes a RawMessage: compact, HTML-escaped.
		var compact, escaped bytes.Buffer
		if err := json.Compact(&compact, s.Attributes); err != nil {
			return nil, err
		}
		json.HTMLEscape(&escaped, compact.Bytes())
		b = append(b, `,"attributes":`...)
		b = append(b, escaped.Bytes()...)
	}
	b = append(b, `,"user":`...)
	b = append(b, e.user...)
	return append(b, '}'), nil
}

func sameUser(a, b *User) bool {
	return a.UserID == b.UserID && a.AccessToken == b.AccessToken && a.Permissions == b.Permissions
}
