// Package simulator plays Alexa's side of a custom skill's traffic.
//
// It builds request envelopes exactly as Alexa sends them:
//
//   - Envelope types that marshal with Alexa's field names, presence and
//     absence rules (see Envelope, Request, Context), and that decode a
//     captured real envelope without losing any field.
//   - Request builders: LaunchRequest, IntentRequest, SessionEndedRequest,
//     CanFulfillIntentRequest, PermissionResponse, ExceptionEncountered and
//     AudioPlayerEvent.
//   - Consent: the permission scopes a user granted (package alexa names
//     them) plus an optional linked-account token (generated, or from a real
//     link made with package link), with the named scenarios none, name,
//     email and email+linked (see ParseConsent). A LinkedAccount (a
//     *link.Account) set on a conversation supplies the token before each
//     request, refreshed when it has expired and left out once a refused
//     refresh made Alexa delete it (docs/alexa-contract.md §8.6).
//   - Every envelope carries an apiAccessToken minted by an
//     apitoken.Signer (WithSigner), whose claims tell a fake API server which
//     scopes were granted, for which user and device, and until when.
//   - A Simulator holding skill id, locale, device, region and clock, and
//     Conversations with their own user, device and session.
//
// Speaking to the skill in words, with Alexa's side of the dialog, is
// package voice's job; linking an account through a real OAuth server is
// package link's.
//
// It drives a skill as Alexa does:
//
//   - Endpoints: HTTPEndpoint (keep-alive, 8 s timeout, reads capped at
//     MaxResponseBytes, extra CAs with WithCAFile), LambdaEndpoint for the
//     AWS Lambda Runtime Interface Emulator, and HandlerEndpoint, which calls
//     an http.Handler in process for a Go skill's own tests.
//   - Conversation.Send plays a turn: it sends the envelope with Alexa's
//     headers (Content-Type, Accept, User-Agent), checks the answer and
//     carries the session to the next turn (sessionId, new,
//     sessionAttributes; see Send for when a session ends).
//   - Requests are unsigned unless WithRequestSigning (or
//     Conversation.SetRequestSigning) asks: then a signing.Authority signs
//     them as Alexa does (Signature-256, Signature, SignatureCertChainUrl)
//     with a local chain that a skill's own verifier can be configured to
//     trust, and faults make requests it must refuse. No SDK verifier
//     accepts them: run skills with the SDK's verification off
//     (docs/request-signing.md).
//   - Every answer is checked against Alexa's response contract
//     (CheckResponse, Rules, docs/response-contract.md). A violation fails
//     the turn with a *ContractError unless WithLenient makes it a warning.
//     A skill that does not answer usably (refused, timeout, non-200,
//     empty, not JSON, oversize, Lambda function error) fails it with a
//     *SkillError that says what was sent and how the body starts.
//   - With a skill manifest (WithSkillPackage, WithManifestPermissions) the
//     rule permission-not-in-manifest applies too: an answer may ask consent
//     only for the scopes skill.json declares (ResponseEnvelope.ScopeRequests,
//     CheckPermissions).
//   - Tokens are minted ahead of need: a new conversation starts signing its
//     apiAccessToken and consent token in the background
//     (apitoken.Signer.Prefetch), so no turn waits for an RSA signature.
//
// Everything random or time dependent can be injected (WithClock,
// WithIDSource, WithSeed) so that envelopes are reproducible byte for byte.
package simulator
