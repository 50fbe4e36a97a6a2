// Package smapi is a fake of Amazon's Skill Management API (SMAPI) that the
// unmodified ASK CLI accepts: `ask smapi …`, `ask dialog` and the SMAPI
// calls of `ask configure`.
//
// A Server is an http.Handler for the paths under /v1 and /v2 of
// ASK_SMAPI_SERVER_BASE_URL; WithLWA serves it beside the Login with Amazon
// fake (fakes/oauth) on one address. It serves the operations of
// docs/smapi-contract.md §3, named after their ask smapi commands
// (Operations): vendors; the developer's skills with paging; the manifest
// and the interaction model per locale with ETags, If-Match and 202
// answers; the build status; account linking; enablement; simulations; and
// invocations (v2, and v1 with its SUCCEEDED).
//
// Tokens: only access tokens the LWA fake issued pass (Config.Tokens),
// sent as "Bearer <t>" or bare, as `ask dialog` sends them. An unknown or
// expired token is a 401 with WWW-Authenticate: Bearer; a token without
// the operation's scope a 403 (readwrite scopes include read). Every answer
// has an x-amzn-RequestId and every error a JSON body, {"message"} or
// {"message","violations"}.
//
// Skills live in memory as skill packages (Skill.Files). Every update is
// checked by the injected Backend, which loads the package as asksim's
// --skill-package loader does: a bad model is a 400 whose violation names
// the JSON path, and a good one is what the next simulation resolves
// against. Simulations keep one session per developer, skill, stage and
// locale; the Backend resolves each utterance and calls the skill
// (internal/smapisim plays it with package simulator). Results are
// SUCCESSFUL or FAILED on the first GET and kept for 10 minutes; a second
// simulation while one is in progress is a 409.
//
// As the other fakes: Requests is the request log (tokens redacted,
// bounded), Fail scripts faults, and every size is bounded so that a
// long-running server keeps its memory flat. docs/smapi.md lists what the
// fake decides where Amazon's behaviour is unconfirmed.
package smapi
