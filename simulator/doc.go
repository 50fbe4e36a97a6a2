// Package simulator plays Alexa's side of a custom skill's traffic.
//
// It builds request envelopes exactly as Alexa sends them and signs the
// apiAccessToken that a skill forwards to the Alexa APIs:
//
//   - Envelope types that marshal with Alexa's field names, presence and
//     absence rules (see Envelope, Request, Context), and that decode a
//     captured real envelope without losing any field.
//   - Request builders: LaunchRequest, IntentRequest, SessionEndedRequest,
//     CanFulfillIntentRequest, PermissionResponse, ExceptionEncountered and
//     AudioPlayerEvent.
//   - Consent: the permission scopes a user granted plus an optional
//     linked-account token, with the named scenarios none, name, email and
//     email+linked (see ParseConsent).
//   - A Signer that mints apiAccessToken JWTs shaped like Amazon's (RS256,
//     kid "1", aud https://api.amazonalexa.com) whose claims alone tell a fake
//     API server which scopes were granted, for which user and device, and
//     until when. Its public key is served as a JWKS document and a
//     jwt.Keyfunc, and tokens are cached because an RSA signature costs about
//     a millisecond.
//   - A Simulator holding skill id, locale, device, region and clock, and
//     Conversations with their own user, device and session.
//   - Account linking as Alexa performs it (Link): the authorization URL
//     with state, scopes and optional PKCE, the login form submitted as a
//     browser submits it, the redirect to Alexa's redirect_uri (never
//     requested), the code redeemed with HTTP Basic or body credentials
//     within Alexa's 4.5 s, and one refresh. A LinkReport names each rule
//     Alexa enforces (LinkRules) as pass, warn or fail, with redacted
//     evidence; a LinkedAccount refreshes its token on expiry for later
//     envelopes. AuthorizationRequest and CompleteManual serve a person
//     logging in in a real browser.
//   - Speaking to the skill (Voice, in voice.go and dialog.go): an utterance
//     is resolved against the skill's interaction model (package model) into
//     the request Alexa would send, and Alexa's side of the dialog is played
//     from the dialog model: Dialog.Delegate and auto delegation with the
//     model's prompts, ElicitSlot, ConfirmSlot and ConfirmIntent answered by
//     the next utterance. WithSkillPackage or WithManifestPermissions adds
//     the rule permission-not-in-manifest (CheckPermissions).
//
// Everything random or time dependent can be injected (WithClock,
// WithIDSource, WithSeed) so that envelopes are reproducible byte for byte.
package simulator
