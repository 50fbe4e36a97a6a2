package link

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/asksim/asksim/internal/jsondiag"
)

// ErrRelinkRequired is wrapped by the error of a refresh that the server
// refused with invalid_grant: as with Alexa, the user must link again.
var ErrRelinkRequired = errors.New("refresh token refused: the account must be linked again")

// Tokens are the tokens Alexa stores for a linked account.
type Tokens struct {
	AccessToken  string    `json:"access_token"`
	TokenType    string    `json:"token_type"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	Expiry       time.Time `json:"expiry"`
	Scope        string    `json:"scope,omitempty"`
}

// Account holds a linked account's tokens and refreshes them when they
// expire, as Alexa does before it sends user.accessToken
// (docs/alexa-contract.md §8.6). It is safe for concurrent use: concurrent
// callers share one refresh, which matters for servers that rotate refresh
// tokens.
type Account struct {
	tc  *tokenClient
	sem chan struct{} // one refresh at a time; a channel so waiting honours ctx

	mu  sync.Mutex
	tok Tokens
	// deleted is set once a refresh was refused: Alexa deleted the tokens
	// and asked the user to link again.
	deleted bool
}

func newAccount(tc *tokenClient, tok Tokens) *Account {
	return &Account{tc: tc, sem: make(chan struct{}, 1), tok: tok}
}

// Tokens returns the current tokens; none once Alexa deleted them.
func (a *Account) Tokens() Tokens {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.tok
}

// Linked reports whether Alexa still holds the account's tokens: false
// once a refresh was refused and Alexa deleted them.
func (a *Account) Linked() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.deleted
}

// Expired reports whether the access token has expired.
func (a *Account) Expired() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return !a.tc.now().Before(a.tok.Expiry)
}

// Expire makes Alexa's copy of the access token expire now, as if its
// lifetime had run out, so that the next request refreshes it first. The
// token server is not told: pair it with the server's own expiry or
// revocation to play what Alexa meets then.
func (a *Account) Expire() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if now := a.tc.now(); a.tok.Expiry.After(now) {
		a.tok.Expiry = now
	}
}

// AccessToken returns a valid access token for user.accessToken,
// refreshing it first when it has expired. A refused refresh wraps
// ErrRelinkRequired and, as with Alexa, deletes the tokens.
func (a *Account) AccessToken(ctx context.Context) (string, error) {
	if !a.Expired() {
		return a.Tokens().AccessToken, nil
	}
	if err := a.acquire(ctx); err != nil {
		return "", err
	}
	defer a.release()
	if !a.Expired() { // another caller refreshed while this one waited
		return a.Tokens().AccessToken, nil
	}
	if a.isDeleted() {
		return "", fmt.Errorf("%w: Alexa deleted the tokens after a refused refresh", ErrRelinkRequired)
	}
	if _, _, err := a.refreshLocked(ctx, nil); err != nil {
		if errors.Is(err, ErrRelinkRequired) && a.Tokens().RefreshToken != "" {
			a.delete()
		}
		return "", err
	}
	return a.Tokens().AccessToken, nil
}

// RequestToken returns what Alexa puts in user.accessToken of the request
// it is about to send, following docs/alexa-contract.md §8.6:
//
//   - an access token that has not expired, as it is;
//   - an expired one is refreshed first, and the new one sent;
//   - when the server refuses the refresh (invalid_grant: the refresh
//     token expired or was revoked), Alexa deletes the tokens and sends the
//     user a card to link again: token is "", and the request carries no
//     accessToken, now and from then on;
//   - when Alexa cannot refresh otherwise (no refresh token was issued, the
//     server fails or answers late), it keeps the tokens and sends the
//     expired one, which the skill's API then refuses.
//
// note says, for a transcript, what Alexa did; "" when it sent the token it
// held. err is set only when ctx ended first.
func (a *Account) RequestToken(ctx context.Context) (token, note string, err error) {
	if !a.Expired() {
		return a.Tokens().AccessToken, "", nil
	}
	if err := a.acquire(ctx); err != nil {
		return "", "", err
	}
	defer a.release()
	tok := a.Tokens()
	switch {
	case a.isDeleted():
		return "", "", nil
	case a.tc.now().Before(tok.Expiry): // another caller refreshed meanwhile
		return tok.AccessToken, "", nil
	case tok.RefreshToken == "":
		return tok.AccessToken, "the access token expired and there is no refresh token: Alexa sent the expired token", nil
	}
	_, _, err = a.refreshLocked(ctx, nil)
	switch {
	case err == nil:
		return a.Tokens().AccessToken, "Alexa refreshed the expired access token", nil
	case ctx.Err() != nil:
		return "", "", ctx.Err()
	case errors.Is(err, ErrRelinkRequired):
		a.delete()
		why := err.Error()
		var te *TokenEndpointError
		if errors.As(err, &te) {
			why = te.Error()
		}
		return "", fmt.Sprintf("Alexa's refresh was refused (%s): it deleted the tokens and sent the user a card to link again; the request carries no accessToken", why), nil
	default:
		return tok.AccessToken, fmt.Sprintf("Alexa could not refresh the expired access token (%v): it sent the expired token", err), nil
	}
}

func (a *Account) isDeleted() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.deleted
}

// delete forgets the tokens, as Alexa does when a refresh is refused.
func (a *Account) delete() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tok, a.deleted = Tokens{}, true
}

// Refresh refreshes the tokens now, expired or not.
func (a *Account) Refresh(ctx context.Context) error {
	if err := a.acquire(ctx); err != nil {
		return err
	}
	defer a.release()
	_, _, err := a.refreshLocked(ctx, nil)
	return err
}

func (a *Account) acquire(ctx context.Context) error {
	select {
	case a.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *Account) release() { <-a.sem }

// refresh is Refresh for the linker, which needs the exchange as evidence.
func (a *Account) refresh(ctx context.Context, red *redactor) (*exchange, *tokenResponse, error) {
	if err := a.acquire(ctx); err != nil {
		return nil, nil, err
	}
	defer a.release()
	return a.refreshLocked(ctx, red)
}

func (a *Account) refreshLocked(ctx context.Context, red *redactor) (*exchange, *tokenResponse, error) {
	rt := a.Tokens().RefreshToken
	if rt == "" {
		return nil, nil, fmt.Errorf("%w: the server issued no refresh token", ErrRelinkRequired)
	}
	x, tr, err := a.tc.call(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, red)
	if err != nil {
		var te *TokenEndpointError
		if errors.As(err, &te) && te.Code == "invalid_grant" {
			err = fmt.Errorf("%w: %w", ErrRelinkRequired, err)
		}
		return x, tr, err
	}
	if tr.accessToken == "" {
		return x, tr, errors.New("the refresh response has no access_token")
	}
	tok := tr.tokens(a.tc.now(), a.tc.defaultLifetime)
	if tok.RefreshToken == "" {
		tok.RefreshToken = rt // no rotation: the old one stays valid (RFC 6749 §6)
	}
	a.mu.Lock()
	a.tok = tok
	a.mu.Unlock()
	return x, tr, nil
}

// tokenClient calls the access-token URI as Alexa does.
type tokenClient struct {
	url, clientID, secret, scheme string
	client                        *http.Client
	timeout, defaultLifetime      time.Duration
	now                           func() time.Time
}

func (c Config) tokenClient() *tokenClient {
	return &tokenClient{
		url: c.TokenURL, clientID: c.ClientID, secret: c.ClientSecret, scheme: c.Scheme,
		client: c.HTTPClient, timeout: c.Timeout, defaultLifetime: c.DefaultLifetime, now: c.Now,
	}
}

// TokenEndpointError is a token endpoint answer that is not a 200 JSON
// object.
type TokenEndpointError struct {
	Status      int
	ContentType string
	// Code and Description are the RFC 6749 §5.2 error, when the body has one.
	Code        string
	Description string
	// NotJSON is set when the body is not a JSON object.
	NotJSON bool
}

func (e *TokenEndpointError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the token endpoint answered %d %s", e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		fmt.Fprintf(&b, " error=%s", e.Code)
		if e.Description != "" {
			fmt.Fprintf(&b, " (%s)", e.Description)
		}
	}
	if e.NotJSON {
		fmt.Fprintf(&b, " with Content-Type %q and a body that is not a JSON object", e.ContentType)
	}
	return b.String()
}

// call posts form with the client's authentication.
func (c *tokenClient) call(ctx context.Context, form url.Values, red *redactor) (*exchange, *tokenResponse, error) {
	if c.scheme == SchemeBody {
		form.Set("client_id", c.clientID)
		form.Set("client_secret", c.secret)
	}
	req, _ := http.NewRequest(http.MethodPost, c.url, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if c.scheme == SchemeBasic {
		// RFC 6749 §2.3.1: id and secret are form-encoded before Basic.
		req.SetBasicAuth(url.QueryEscape(c.clientID), url.QueryEscape(c.secret))
	}
	x, err := doRequest(ctx, c.client, c.now, req, form, c.timeout)
	if err != nil {
		return x, nil, err
	}
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(x.body))
	dec.UseNumber()
	jsonErr := dec.Decode(&obj)
	if jsonErr == nil && dec.Decode(&struct{}{}) != io.EOF {
		jsonErr = errors.New("data after the JSON object")
	}
	if x.resp.StatusCode != http.StatusOK || jsonErr != nil || obj == nil {
		te := &TokenEndpointError{Status: x.resp.StatusCode, ContentType: x.resp.Header.Get("Content-Type"), NotJSON: jsonErr != nil || obj == nil}
		te.Code, _ = obj["error"].(string)
		te.Description, _ = obj["error_description"].(string)
		return x, nil, te
	}
	tr := parseTokenResponse(obj)
	if red != nil {
		red.secret(tr.accessToken, tr.refreshToken)
	}
	return x, tr, nil
}

// doRequest sends req within timeout and reads at most maxBody of the
// answer, timing the round trip with now.
func doRequest(ctx context.Context, client *http.Client, now func() time.Time, req *http.Request, form url.Values, timeout time.Duration) (*exchange, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req = req.WithContext(ctx)
	x := &exchange{req: req, form: form}
	start := now()
	resp, err := client.Do(req)
	if err != nil {
		x.elapsed = now().Sub(start)
		return x, err
	}
	defer resp.Body.Close()
	x.resp = resp
	x.body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	x.elapsed = now().Sub(start)
	return x, err
}

// tokenResponse is a decoded 200 token response.
type tokenResponse struct {
	accessToken, tokenType, refreshToken, scope string
	expiresRaw                                  any // nil when absent
	expiresIn                                   int64
	expiresOK                                   bool // an integer
	types                                       map[string]string
}

func parseTokenResponse(obj map[string]any) *tokenResponse {
	tr := &tokenResponse{types: map[string]string{}}
	for k, v := range obj {
		tr.types[k] = kindOf(v)
	}
	tr.accessToken, _ = obj["access_token"].(string)
	tr.tokenType, _ = obj["token_type"].(string)
	tr.refreshToken, _ = obj["refresh_token"].(string)
	tr.scope, _ = obj["scope"].(string)
	tr.expiresRaw = obj["expires_in"]
	if n, ok := tr.expiresRaw.(json.Number); ok {
		if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			tr.expiresIn, tr.expiresOK = i, true
		}
	}
	return tr
}

// problems maps each broken rule to what is wrong.
func (t *tokenResponse) problems(requireRefresh bool) map[string]string {
	p := map[string]string{}
	if t.accessToken == "" {
		if typ, ok := t.types["access_token"]; ok {
			p[RuleTokenAccess] = fmt.Sprintf("access_token is %s, not a non-empty string", typ)
		} else {
			p[RuleTokenAccess] = "no access_token"
		}
	}
	if !strings.EqualFold(t.tokenType, "bearer") {
		if typ, ok := t.types["token_type"]; !ok {
			p[RuleTokenType] = "no token_type"
		} else if typ != "a string" {
			p[RuleTokenType] = fmt.Sprintf("token_type is %s, not \"Bearer\"", typ)
		} else {
			p[RuleTokenType] = fmt.Sprintf("token_type is %q, not \"Bearer\"", t.tokenType)
		}
	}
	switch v := t.expiresRaw.(type) {
	case nil:
		if _, present := t.types["expires_in"]; present {
			p[RuleTokenExpiresInt] = "expires_in is null, not an integer number of seconds"
		}
	case string:
		p[RuleTokenExpiresInt] = fmt.Sprintf("expires_in is the string %q; RFC 6749 §5.1 makes it a number of seconds", v)
	case json.Number:
		if !t.expiresOK {
			p[RuleTokenExpiresInt] = fmt.Sprintf("expires_in is %s, not an integer number of seconds", v)
		} else if t.expiresIn < int64(MinAccessTokenLifetime/time.Second) {
			p[RuleTokenExpiresMin] = fmt.Sprintf("expires_in is %d; Alexa needs access tokens that live at least %d seconds", t.expiresIn, int64(MinAccessTokenLifetime/time.Second))
		}
	default:
		p[RuleTokenExpiresInt] = fmt.Sprintf("expires_in is %s, not an integer number of seconds", kindOf(v))
	}
	if requireRefresh && t.refreshToken == "" {
		if typ, ok := t.types["refresh_token"]; ok {
			p[RuleTokenRefresh] = fmt.Sprintf("refresh_token is %s, not a non-empty string", typ)
		} else {
			p[RuleTokenRefresh] = "no refresh_token: Alexa cannot renew the access token, so the user must relink when it expires"
		}
	}
	return p
}

// passMessage says why a rule passed, or "" when it was not applicable.
func (t *tokenResponse) passMessage(rule string) string {
	switch rule {
	case RuleTokenAccess:
		return fmt.Sprintf("access_token present (%d characters)", len(t.accessToken))
	case RuleTokenType:
		return fmt.Sprintf("token_type %q", t.tokenType)
	case RuleTokenExpiresInt:
		if t.expiresRaw == nil {
			return "no expires_in: Alexa uses the skill's defaultTokenExpirationInSeconds"
		}
		return fmt.Sprintf("expires_in %d is an integer", t.expiresIn)
	case RuleTokenExpiresMin:
		if !t.expiresOK {
			return ""
		}
		return fmt.Sprintf("expires_in %d ≥ 360", t.expiresIn)
	case RuleTokenRefresh:
		return "refresh_token present"
	}
	return ""
}

func (t *tokenResponse) tokens(now time.Time, defaultLifetime time.Duration) Tokens {
	life := defaultLifetime
	if t.expiresOK {
		life = time.Duration(t.expiresIn) * time.Second
	}
	return Tokens{AccessToken: t.accessToken, TokenType: t.tokenType, RefreshToken: t.refreshToken,
		Expiry: now.Add(life), Scope: t.scope}
}

// kindOf names the kind of a decoded value with its article, "a string".
func kindOf(v any) string { return jsondiag.A(jsondiag.Kind(v)) }
