// Package oauth is a strict OAuth 2.0 authorization server for tests of
// Alexa account linking, plus a Login-with-Amazon-style token endpoint.
//
// Mock servers that accept any code or skip the client secret hide the bugs
// that break account linking in production. This fake answers every row of
// the project's strictness checklist as RFC 6749, 6819, 7009, 7636, 7662 and
// 9700 say; each looseness real servers show (raw Basic credentials, a
// refresh grace window, no expires_in) is a named per-client switch, off by
// default.
//
// A Server is an http.Handler with these paths at its root:
//
//   - /authorize: a small HTML login page (no JavaScript) that redirects with
//     code and state, or with an access token in the fragment for clients
//     that allow the implicit grant; Config.AutoApprove skips the page.
//   - /token: authorization_code, refresh_token (rotation with reuse
//     detection) and client_credentials; client authentication per the
//     client's Scheme (Alexa's HTTP_BASIC or REQUEST_BODY_CREDENTIALS).
//   - /userinfo, /introspect (RFC 7662), /revoke (RFC 7009), /jwks.json and
//     the discovery documents /.well-known/oauth-authorization-server and
//     /.well-known/openid-configuration.
//   - /auth/o2/token, /auth/o2/tokeninfo and /user/profile in Login with
//     Amazon's dialect (JSON bodies, Atza| tokens, LWA error wording,
//     refresh tokens that never rotate), and /ap/oa, LWA's sign-in page for
//     a developer account: the /authorize flow with LWA's redirects, plus a
//     page of its own that shows the code for redirect URIs that cannot load
//     offline (the ASK CLI's --no-browser page). DefaultLWAConfig registers
//     the ASK CLI; AccessToken lets a resource server such as fakes/smapi
//     check the tokens.
//   - Protected resources declared in the Config (Resource), such as the
//     default configuration's Spotify-like GET /v1/me/playlists: the
//     provider's API a linked skill calls with the user's token. Bearer
//     tokens are checked as RFC 6750 says (401 invalid_token, 403
//     insufficient_scope with the scope needed, 400 invalid_request, a bare
//     challenge when no token came); ExpireToken and RevokeGrant end a
//     grant early, and SetGrantBody and FailGrant script one grant's answers
//     so that tests sharing a server do not see each other's.
//
// Tests drive it through real HTTP (httptest.NewServer), inspect Requests
// (redacted), script failures with Fail, and mint tokens directly with
// IssueTokens or IssueCode. State lives in the Server: one per test keeps
// tests isolated.
package oauth
