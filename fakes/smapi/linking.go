package smapi

import (
	"encoding/json"
	"net/http"
	"net/url"
)

// linkingResponseFields are the members get-account-linking-info answers
// (v1.skill.accountLinking.AccountLinkingResponse): the request's, less
// clientSecret, reciprocalAccessTokenUrl and skipOnEnablement.
var linkingResponseFields = []string{"type", "authorizationUrl", "domains", "clientId", "scopes", "accessTokenUrl",
	"accessTokenScheme", "defaultTokenExpirationInSeconds", "redirectUrls", "authorizationUrlsByPlatform", "voiceForwardAccountLinking"}

// linkingPayload is what the fake checks of an accountLinkingRequest.
type linkingPayload struct {
	Type              string          `json:"type"`
	AuthorizationURL  string          `json:"authorizationUrl"`
	ClientID          string          `json:"clientId"`
	ClientSecret      *string         `json:"clientSecret"`
	AccessTokenURL    string          `json:"accessTokenUrl"`
	AccessTokenScheme string          `json:"accessTokenScheme"`
	DefaultExpiration json.RawMessage `json:"defaultTokenExpirationInSeconds"`
}

// checkLinking validates an accountLinkingRequest object; prev is the one
// stored (nil: none), whose clientSecret an update may leave out.
func checkLinking(obj []byte, prev []byte) *apiError {
	var p linkingPayload
	if err := json.Unmarshal(obj, &p); err != nil {
		return badRequest("Account linking request is not valid.", bodyViolation("INVALID_DATA_TYPE", "$.accountLinkingRequest", "%v", err))
	}
	const at = "$.accountLinkingRequest."
	var v []violation
	switch p.Type {
	case "AUTH_CODE", "IMPLICIT":
	case "":
		v = append(v, bodyViolation("MISSING_REQUIRED_PROPERTY", at+"type", "type is required: AUTH_CODE or IMPLICIT"))
	default:
		v = append(v, bodyViolation("INVALID_ENUM_VALUE", at+"type", "type %q is not AUTH_CODE or IMPLICIT", p.Type))
	}
	v = append(v, checkURL(at+"authorizationUrl", p.AuthorizationURL)...)
	if p.ClientID == "" {
		v = append(v, bodyViolation("MISSING_REQUIRED_PROPERTY", at+"clientId", "clientId is required"))
	}
	if p.Type == "AUTH_CODE" {
		v = append(v, checkURL(at+"accessTokenUrl", p.AccessTokenURL)...)
		if p.ClientSecret == nil && !hasSecret(prev) {
			v = append(v, bodyViolation("MISSING_REQUIRED_PROPERTY", at+"clientSecret", "clientSecret is required for AUTH_CODE"))
		}
	}
	switch p.AccessTokenScheme {
	case "", "HTTP_BASIC", "REQUEST_BODY_CREDENTIALS":
	default:
		v = append(v, bodyViolation("INVALID_ENUM_VALUE", at+"accessTokenScheme", "accessTokenScheme %q is not HTTP_BASIC or REQUEST_BODY_CREDENTIALS", p.AccessTokenScheme))
	}
	if len(p.DefaultExpiration) > 0 {
		var n int64
		if err := json.Unmarshal(p.DefaultExpiration, &n); err != nil || n <= 0 {
			v = append(v, bodyViolation("INVALID_INTEGER_VALUE", at+"defaultTokenExpirationInSeconds", "defaultTokenExpirationInSeconds must be a positive integer"))
		}
	}
	if len(v) > 0 {
		return badRequest("Account linking request is not valid.", v...)
	}
	return nil
}

func checkURL(path, raw string) []violation {
	if raw == "" {
		return []violation{bodyViolation("MISSING_REQUIRED_PROPERTY", path, "%s is required", path[len("$.accountLinkingRequest."):])}
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return []violation{bodyViolation("INVALID_URL_FORMAT", path, "String instance with value %q is not a valid URL.", raw)}
	}
	return nil
}

func hasSecret(obj []byte) bool {
	var p linkingPayload
	return obj != nil && json.Unmarshal(obj, &p) == nil && p.ClientSecret != nil
}

func (s *Server) getLinking(c *call) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	s.mu.RLock()
	obj := sk.linking
	s.mu.RUnlock()
	if obj == nil {
		return notFound("Skill %s has no account linking.", sk.id)
	}
	var all map[string]json.RawMessage
	json.Unmarshal(obj, &all) // checked when stored
	out := map[string]json.RawMessage{}
	for _, k := range linkingResponseFields {
		if v, ok := all[k]; ok {
			out[k] = v
		}
	}
	c.w.Header().Set("ETag", etag(obj))
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

// putLinking stores the accountLinkingRequest of a wrapped body; a body
// without the wrapper is a 400, as the swagger's AccountLinkingRequest
// makes it (docs/smapi-contract.md §3). An update without clientSecret
// keeps the stored one.
func (s *Server) putLinking(c *call) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	data, e := readBody(c, "accountLinkingRequest")
	if e != nil {
		return e
	}
	var doc struct {
		Request map[string]json.RawMessage `json:"accountLinkingRequest"`
	}
	json.Unmarshal(data, &doc) // readBody checked the shape
	sk.write.Lock()
	defer sk.write.Unlock()
	s.mu.RLock()
	prev := sk.linking
	s.mu.RUnlock()
	cur := ""
	if prev != nil {
		cur = etag(prev)
	}
	if e := ifMatch(c.r, cur); e != nil {
		return e
	}
	if _, ok := doc.Request["clientSecret"]; !ok && hasSecret(prev) {
		var old map[string]json.RawMessage
		json.Unmarshal(prev, &old)
		doc.Request["clientSecret"] = old["clientSecret"]
	}
	obj, _ := json.Marshal(doc.Request)
	if e := checkLinking(obj, prev); e != nil {
		return e
	}
	s.mu.Lock()
	sk.linking, sk.updated = obj, s.cfg.Now()
	s.mu.Unlock()
	c.w.Header().Set("ETag", etag(obj))
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}

func (s *Server) deleteLinking(c *call) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	s.mu.Lock()
	had := sk.linking != nil
	sk.linking = nil
	s.mu.Unlock()
	if !had {
		return notFound("Skill %s has no account linking.", sk.id)
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}

// Enablement is per developer: the development stage is enabled for every
// developer until one disables it. `ask dialog` needs 204 before it starts
// (docs/smapi-contract.md §5.7).
func (s *Server) getEnablement(c *call) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	s.mu.RLock()
	off := sk.disabled[c.developer]
	s.mu.RUnlock()
	if off {
		return notFound("Skill %s is not enabled for %s.", sk.id, c.developer)
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}

func (s *Server) putEnablement(c *call) *apiError {
	return s.setEnablement(c, true)
}

func (s *Server) deleteEnablement(c *call) *apiError {
	return s.setEnablement(c, false)
}

func (s *Server) setEnablement(c *call, on bool) *apiError {
	sk, e := s.skillOf(c)
	if e != nil {
		return e
	}
	s.mu.Lock()
	was := !sk.disabled[c.developer]
	if on {
		delete(sk.disabled, c.developer)
	} else {
		sk.disabled[c.developer] = true
	}
	s.mu.Unlock()
	if !on && !was {
		return notFound("Skill %s is not enabled for %s.", sk.id, c.developer)
	}
	writeJSON(c.w, http.StatusNoContent, nil)
	return nil
}

// enabled reports whether the developer may simulate the skill.
func (s *Server) enabled(sk *skill, developer string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return !sk.disabled[developer]
}
