package oauth

import (
	"errors"
	"fmt"
)

// ErrUnknownToken is returned for a token the server does not hold: never
// issued, or forgotten once it could no longer be used.
var ErrUnknownToken = errors.New("oauth: unknown token")

// ExpireToken ends the life of token (access or refresh) now, as if its
// lifetime had run out: from now on it answers as expired. Only the server
// changes its mind: a JWT's exp claim still says what it said, as a real
// provider may end a token early (a shorter lifetime than it announced,
// a clock ahead of the client's).
func (s *Server) ExpireToken(token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[digest(token)]
	if t == nil {
		return ErrUnknownToken
	}
	if now := s.now(); t.expires.IsZero() || t.expires.After(now) {
		t.expires = now
	}
	return nil
}

// RevokeGrant revokes every token of the grant token belongs to: the
// access and refresh tokens issued together with it and all refreshed
// from them, as when the user withdraws the skill's access at the
// provider. Alexa is not told: it learns at its next refresh (invalid_grant).
func (s *Server) RevokeGrant(token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[digest(token)]
	if t == nil {
		return ErrUnknownToken
	}
	t.revoked = true
	t.family.revoked = true
	return nil
}

// SetGrantBody makes the protected resource of route ("GET
// /v1/me/playlists") answer body, instead of the configured body, to the
// tokens of the grant token belongs to, refreshed ones included. Tests that
// share one server each shape what their own user reads this way. body must
// be JSON; placeholders are filled as in Resource.Users.
func (s *Server) SetGrantBody(token, route string, body []byte) error {
	res, err := s.resourceAt(route)
	if err != nil {
		return err
	}
	if len(body) > maxResourceBody {
		return fmt.Errorf("oauth: SetGrantBody(%s): body of %d bytes is over the %d-byte limit", res.Route(), len(body), maxResourceBody)
	}
	if err := checkJSONBody(body); err != nil {
		return fmt.Errorf("oauth: SetGrantBody(%s): %w", res.Route(), err)
	}
	tmpl := compileBody(body)
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[digest(token)]
	if t == nil {
		return ErrUnknownToken
	}
	if t.family.bodies == nil {
		t.family.bodies = map[string]*bodyTemplate{}
	}
	t.family.bodies[res.Route()] = tmpl
	return nil
}

// FailGrant is Fail for one grant: the next n requests to the protected
// resources at path that present a token of the grant token belongs to
// play f, after their token and scope are checked. n <= 0 removes the
// grant's faults on path. Faults set with Fail come first, for everyone.
func (s *Server) FailGrant(token, path string, n int, f Fault) error {
	if s.resources[path] == nil {
		return fmt.Errorf("oauth: FailGrant: %q is not the path of a protected resource", path)
	}
	if n > 0 {
		if err := f.Check(); err != nil {
			return fmt.Errorf("oauth: FailGrant(%q): %w", path, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[digest(token)]
	if t == nil {
		return ErrUnknownToken
	}
	t.family.faults.Add(path, n, f)
	return nil
}

// grantAnswer returns what the grant scripted for res: a body of its own
// (nil: the configured one) and the next fault on res's path (nil: none).
func (s *Server) grantAnswer(fam *family, res *resource) (*bodyTemplate, *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := fam.faults.Take(res.Path)
	if !ok {
		return fam.bodies[res.Route()], nil
	}
	return fam.bodies[res.Route()], &f
}
