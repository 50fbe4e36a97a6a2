// Package link performs OAuth 2.0 account linking as Alexa does, against a
// skill's own authorization server, and reports every rule the server
// breaks.
//
//   - Run opens the authorization URL with state, scopes and optional PKCE,
//     submits the login form as a browser submits it, stops at the redirect
//     to Alexa's redirect_uri (never requested), redeems the code with HTTP
//     Basic or body credentials within Alexa's 4.5 s, and refreshes once
//     (docs/alexa-contract.md §8, docs/oauth-checklist.md).
//   - A Report names each Rule Alexa enforces (Rules) as pass, warn or fail,
//     with redacted evidence, as text (WriteText) or JSON.
//   - An Account holds the tokens and refreshes them on expiry, as Alexa
//     does before it sends user.accessToken; RequestToken says what Alexa
//     puts in a request, no token at all once a refused refresh made Alexa
//     delete them (docs/alexa-contract.md §8.6).
//   - AuthorizationRequest and CompleteManual serve a person logging in in a
//     real browser.
//
// It imports nothing of asksim: a Config is plain data.
package link
