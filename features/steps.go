package features

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/signing"
	"github.com/cucumber/godog"
)

// Step is one phrase of the vocabulary.
type Step struct {
	// Kind is Given, When or Then.
	Kind string
	// Pattern is the regular expression godog matches step text with.
	Pattern string
	// Example is a step written with it, as QA would.
	Example string
	// Doc says what the step does.
	Doc string
	// Table is an example data table for steps that take one.
	Table [][]string
	// DocString is an example doc string for steps that take one.
	DocString string

	bind func(w *world) any
}

// Steps returns the whole vocabulary in the order `asksim steps` lists it.
func Steps() []Step { return slices.Clone(steps) }

// InitializeScenario registers the steps and hooks of one scenario with
// godog. godog calls it once per scenario, so each gets its own world.
//
// Only the steps the scenario uses are registered, when its first step is
// about to run (the Before hook, which godog runs before matching it): godog
// records each registration's call site with runtime.Caller and tries every
// registered pattern on every step, which with the whole vocabulary cost
// about a twentieth of a run's CPU. A step text matches the same patterns
// every time, so which it matches is cached (stepsFor).
func (s *Suite) InitializeScenario(sc *godog.ScenarioContext) {
	if s.runs.Load() == 0 {
		// godog run by the caller: no plan says whether an account will be
		// linked, so the OAuth fake's key is made now, ahead of any link
		// and outside its timed exchange; an error surfaces at the link.
		_, _, _ = s.oauth.PublicKey()
	}
	s.initScenario(sc, nil)
}

// stepsFor returns the indices, in vocabulary order, of the steps whose
// patterns match a step of p: all that match each text, so that godog
// still sees an ambiguous step as ambiguous.
func (s *Suite) stepsFor(p *godog.Scenario) []int {
	var used []int
	for _, ps := range p.Steps {
		for _, i := range s.stepMatches(ps.Text) {
			if !slices.Contains(used, i) {
				used = append(used, i)
			}
		}
	}
	slices.Sort(used)
	return used
}

// maxCachedStepTexts bounds the cache of stepMatches: feature files hold
// far fewer distinct step texts, and past it texts are matched anew.
const maxCachedStepTexts = 4096

// stepMatches returns the indices of the patterns text matches.
func (s *Suite) stepMatches(text string) []int {
	s.matchMu.Lock()
	m, ok := s.matches[text]
	s.matchMu.Unlock()
	if ok {
		return m
	}
	for i, re := range stepRegexps {
		if re.MatchString(text) {
			m = append(m, i)
		}
	}
	s.matchMu.Lock()
	if s.matches == nil {
		s.matches = map[string][]int{}
	}
	if len(s.matches) < maxCachedStepTexts {
		s.matches[text] = m
	}
	s.matchMu.Unlock()
	return m
}

// addStep registers one step. godog records where its sc.Step call is for
// every step, and the pretty formatter prints it; prettyFormatter finds it
// as this function's line (stepSite), so the call stays on that one line.
func addStep(sc *godog.ScenarioContext, re *regexp.Regexp, h any) { sc.Step(re, h) }

var stepRegexps = func() []*regexp.Regexp {
	res := make([]*regexp.Regexp, len(steps))
	for i, st := range steps {
		res[i] = regexp.MustCompile(st.Pattern)
	}
	return res
}()

const quoted = `"((?:[^"\\]|\\.)*)"`

var steps = []Step{
	// Given: who the user is and what they allowed.
	{Kind: "Given", Pattern: `^the consent scenario ` + quoted + `$`, Example: `the consent scenario "email+linked"`,
		Doc:  "Sets the consent to a named scenario: none, name, email or email+linked. email+linked links the account through the OAuth fake.",
		bind: func(w *world) any { return w.consentScenario }},
	{Kind: "Given", Pattern: `^the user has granted no permissions$`, Example: `the user has granted no permissions`,
		Doc:  "Revokes every permission scope; a linked account stays linked.",
		bind: func(w *world) any { return w.grantNone }},
	{Kind: "Given", Pattern: `^the user has granted the ` + quoted + ` permission$`, Example: `the user has granted the "email" permission`,
		Doc:  "Grants one permission: a short name (name, given name, email, mobile number, address, country and postal code) or a full scope string.",
		bind: func(w *world) any { return w.grant }},
	{Kind: "Given", Pattern: `^the user has revoked the ` + quoted + ` permission$`, Example: `the user has revoked the "email" permission`,
		Doc:  "Takes one permission away again.",
		bind: func(w *world) any { return w.revoke }},
	{Kind: "Given", Pattern: `^the user has linked their account$`, Example: `the user has linked their account`,
		Doc:  "Links the account as the OAuth fake's first user (alice), through the real flow: login form, code, token, refresh.",
		bind: func(w *world) any { return func(ctx context.Context) error { return w.link(ctx, "") } }},
	{Kind: "Given", Pattern: `^the user has linked their account as ` + quoted + `$`, Example: `the user has linked their account as "bob"`,
		Doc:  "Links the account as the named user of the OAuth fake.",
		bind: func(w *world) any { return w.link }},
	{Kind: "Given", Pattern: `^the user has linked their account with only the ` + quoted + ` scopes?$`, Example: `the user has linked their account with only the "user-read-email" scope`,
		Doc:  "Links the account as the OAuth fake's first user (alice), asking for only these scopes (one or more, separated by commas) instead of every scope its client may request: the provider's API then refuses calls that need another (403 insufficient_scope).",
		bind: func(w *world) any { return w.linkScopes }},
	{Kind: "Given", Pattern: `^the user's linked token has expired$`, Example: `the user's linked token has expired`,
		Doc: "The access token Alexa holds has expired at the provider before Alexa noticed (a provider that ends tokens sooner than the expires_in it announced, a token that runs out between Alexa's check and the skill's call): " +
			"Alexa sends it as it is, and the provider's API answers 401 invalid_token, so the skill should ask the user to link again. The refresh token still works.",
		bind: func(w *world) any { return w.expireLinked }},
	{Kind: "Given", Pattern: `^the user's linked token has been revoked$`, Example: `the user's linked token has been revoked`,
		Doc: "The provider revoked the grant (the user withdrew the skill's access there): access and refresh token. Alexa is not told and sends the access token it holds; the provider's API answers 401 invalid_token. " +
			"When that token expires, Alexa's refresh is refused and it deletes the tokens.",
		bind: func(w *world) any { return w.revokeLinked }},
	{Kind: "Given", Pattern: `^the user's linked token has expired and cannot be refreshed$`, Example: `the user's linked token has expired and cannot be refreshed`,
		Doc: "The access token has expired in Alexa's records too, and so has the refresh token: before the next request Alexa tries to refresh, the provider refuses (invalid_grant), and Alexa deletes the tokens and sends the user a card to link again. " +
			"The request carries no accessToken, as for a user who never linked (docs/alexa-contract.md §8.6).",
		bind: func(w *world) any { return w.expireUnrefreshable }},
	{Kind: "Given", Pattern: `^the API ` + quoted + ` answers for ` + quoted + `:$`, Example: `the API "GET /v1/me/playlists" answers for "alice":`,
		DocString: `{"items": [{"name": "Morning Run", "owner": {"id": "{user}"}}], "total": 1}`,
		Doc: "The provider's API (a resource the OAuth fake serves) answers the doc string's JSON to this user's token, in this scenario only, instead of what its configuration says. " +
			"{user}, {sub} and {client_id} in its strings are filled from the token.",
		bind: func(w *world) any { return w.apiAnswersFor }},
	{Kind: "Given", Pattern: `^the API ` + quoted + ` fails with status (\d+)$`, Example: `the API "GET /v1/me/playlists" fails with status 503`,
		Doc:  "Every call the skill makes to the resource in this scenario gets the status, with a JSON error body, once its token and scope pass.",
		bind: func(w *world) any { return w.apiFails }},
	{Kind: "Given", Pattern: `^the API ` + quoted + ` drops the connection$`, Example: `the API "GET /v1/me/playlists" drops the connection`,
		Doc:  "Every call the skill makes to the resource in this scenario has its connection closed without an answer.",
		bind: func(w *world) any { return w.apiDrops }},
	{Kind: "Given", Pattern: `^the API ` + quoted + ` answers after ` + quoted + `$`, Example: `the API "GET /v1/me/playlists" answers after "3s"`,
		Doc:  "Every call the skill makes to the resource in this scenario is answered only after the delay: long enough, and the skill misses Alexa's 8 s.",
		bind: func(w *world) any { return w.apiSlow }},
	{Kind: "Given", Pattern: `^the user's account is not linked$`, Example: `the user's account is not linked`,
		Doc:  "Removes the linked account: requests carry no user.accessToken.",
		bind: func(w *world) any { return w.unlink }},
	{Kind: "Given", Pattern: `^the user's profile:$`, Example: `the user's profile:`,
		Table: [][]string{{"name", "Alice Example"}, {"email", "alice@example.com"}, {"mobile.phoneNumber", "2065550199"}},
		Doc:   "Sets the user's data in the Alexa API fake: one field and its value per row, names as in the profile schema (fixtures/profiles/README.md); null makes the API answer 204.",
		bind:  func(w *world) any { return w.profile }},
	{Kind: "Given", Pattern: `^the locale is ` + quoted + `$`, Example: `the locale is "de-DE"`,
		Doc:  "Sets the locale of later requests.",
		bind: func(w *world) any { return w.setLocale }},
	{Kind: "Given", Pattern: `^the device is ` + quoted + `$`, Example: `the device is "echo-show"`,
		Doc:  "Sets the device preset: " + strings.Join(simulator.DeviceNames(), ", ") + ".",
		bind: func(w *world) any { return w.setDevice }},
	{Kind: "Given", Pattern: `^requests are signed$`, Example: `requests are signed`,
		Doc:  "Signs this scenario's later requests as Alexa does (Signature-256, Signature, SignatureCertChainUrl), as --sign does for a whole run; see docs/request-signing.md.",
		bind: func(w *world) any { return func() error { return w.setSigning(true, signing.FaultNone) } }},
	{Kind: "Given", Pattern: `^requests are not signed$`, Example: `requests are not signed`,
		Doc:  "Sends this scenario's later requests without signature headers, as a caller other than Alexa would.",
		bind: func(w *world) any { return func() error { return w.setSigning(false, signing.FaultNone) } }},
	{Kind: "Given", Pattern: `^requests are signed with a tampered body$`, Example: `requests are signed with a tampered body`,
		Doc:  "Signs later requests over other bytes than the body sent: a verifier must refuse them.",
		bind: func(w *world) any { return func() error { return w.setSigning(true, signing.FaultTamperedBody) } }},
	{Kind: "Given", Pattern: `^requests are signed with a stale timestamp$`, Example: `requests are signed with a stale timestamp`,
		Doc:  "Signs later requests correctly but stamps them 151 s ago, past the 150 s Amazon allows: a verifier must refuse them.",
		bind: func(w *world) any { return func() error { return w.setSigning(true, signing.FaultStaleTimestamp) } }},
	{Kind: "Given", Pattern: `^requests are signed with a certificate URL that breaks the ` + quoted + ` rule$`, Example: `requests are signed with a certificate URL that breaks the "port" rule`,
		Doc: "Signs later requests with a SignatureCertChainUrl that breaks one of Amazon's rules (scheme, host, port, path, path-case, path-traversal) and still serves the chain: a verifier must refuse them.",
		bind: func(w *world) any {
			return func(rule string) error { return w.setSigning(true, signing.Fault("bad-cert-url:"+rule)) }
		}},

	// When: what the user does.
	{Kind: "When", Pattern: `^the user opens the skill$`, Example: `the user opens the skill`,
		Doc:  "Sends a LaunchRequest in a new session.",
		bind: func(w *world) any { return w.open }},
	{Kind: "When", Pattern: `^the user invokes ` + quoted + `$`, Example: `the user invokes "GetEmailIntent"`,
		Doc:  "Sends an IntentRequest for the intent, without slots.",
		bind: func(w *world) any { return w.invoke }},
	{Kind: "When", Pattern: `^the user invokes ` + quoted + ` with:$`, Example: `the user invokes "OrderIntent" with:`,
		Table: [][]string{{"item", "coffee"}, {"quantity", "2"}},
		Doc:   "Sends an IntentRequest with the slots of the table, one slot and its spoken value per row.",
		bind:  func(w *world) any { return w.invokeWith }},
	{Kind: "When", Pattern: `^the user says ` + quoted + `$`, Example: `the user says "order two coffees"`,
		Doc:  "Alexa hears the words and resolves them against the skill's interaction model: \"open <invocation name>\" launches, \"ask <invocation name> to …\" opens a new session, an answer fills or confirms the slot Alexa asked about, and Alexa runs the dialog model where the skill delegates.",
		bind: func(w *world) any { return w.say }},
	{Kind: "When", Pattern: `^the user ends the session$`, Example: `the user ends the session`,
		Doc:  "Sends a SessionEndedRequest with reason USER_INITIATED, as when the user says \"exit\".",
		bind: func(w *world) any { return w.endSession }},
	{Kind: "When", Pattern: `^the user accepts the permission request$`, Example: `the user accepts the permission request`,
		Doc:  "Answers the skill's voice permission request with ACCEPTED and grants its scopes: a Connections.Response in the AskFor's version (1: one permissionScope, 2: the list), or a SessionResumedRequest for voice-forward consent (Connections.StartConnection). A scope the skill manifest lacks gets status.code 400 instead.",
		bind: func(w *world) any { return w.answerPermission(simulator.PermissionAccepted) }},
	{Kind: "When", Pattern: `^the user denies the permission request$`, Example: `the user denies the permission request`,
		Doc:  "Answers the skill's voice permission request (AskFor or voice-forward consent) with DENIED.",
		bind: func(w *world) any { return w.answerPermission(simulator.PermissionDenied) }},
	{Kind: "When", Pattern: `^the user does not answer the permission request$`, Example: `the user does not answer the permission request`,
		Doc:  "Answers the skill's voice permission request (AskFor or voice-forward consent) with NOT_ANSWERED.",
		bind: func(w *world) any { return w.answerPermission(simulator.PermissionNotAnswered) }},

	// Then: what Alexa does.
	{Kind: "Then", Pattern: `^` + refusalStep + `$`, Example: refusalStep,
		Doc:  "The skill answered the last request with an HTTP 4xx status, as a verifier refuses a request (the SDKs answer 400). Right after a When step, it lets that step's refusal through instead of failing it.",
		bind: func(w *world) any { return w.refuses }},
	{Kind: "Then", Pattern: `^Alexa says ` + quoted + `$`, Example: `Alexa says "Your email is alice@example.com."`,
		Doc:  "The speech, without SSML tags and with whitespace collapsed, is exactly the text.",
		bind: func(w *world) any { return w.says }},
	{Kind: "Then", Pattern: `^Alexa says something containing ` + quoted + `$`, Example: `Alexa says something containing "email"`,
		Doc:  "The speech contains the text.",
		bind: func(w *world) any { return w.saysContaining }},
	{Kind: "Then", Pattern: `^Alexa says something matching ` + quoted + `$`, Example: `Alexa says something matching "^Your email is .+@.+$"`,
		Doc:  "The speech matches the regular expression (Go syntax).",
		bind: func(w *world) any { return w.saysMatching }},
	{Kind: "Then", Pattern: `^Alexa says nothing$`, Example: `Alexa says nothing`,
		Doc:  "The response has no outputSpeech.",
		bind: func(w *world) any { return w.saysNothing }},
	{Kind: "Then", Pattern: `^Alexa reprompts ` + quoted + `$`, Example: `Alexa reprompts "What would you like?"`,
		Doc:  "The reprompt speech is exactly the text.",
		bind: func(w *world) any { return w.reprompts }},
	{Kind: "Then", Pattern: `^the response has a LinkAccount card$`, Example: `the response has a LinkAccount card`,
		Doc:  "The response carries a LinkAccount card.",
		bind: func(w *world) any { return func() error { return w.hasCard("LinkAccount") } }},
	{Kind: "Then", Pattern: `^the response has an? ` + quoted + ` card$`, Example: `the response has a "Simple" card`,
		Doc:  "The response carries a card of the type.",
		bind: func(w *world) any { return w.hasCard }},
	{Kind: "Then", Pattern: `^the response has no card$`, Example: `the response has no card`,
		Doc:  "The response carries no card.",
		bind: func(w *world) any { return w.hasNoCard }},
	{Kind: "Then", Pattern: `^the response asks for the ` + quoted + ` permission$`, Example: `the response asks for the "alexa::profile:email:read" permission`,
		Doc:  "An AskForPermissionsConsent card or a voice permission request (Connections.SendRequest AskFor, or Connections.StartConnection for voice-forward consent) asks for the scope; short names work too.",
		bind: func(w *world) any { return w.asksForPermission }},
	{Kind: "Then", Pattern: `^the response has an? ` + quoted + ` directive$`, Example: `the response has a "Dialog.ElicitSlot" directive`,
		Doc:  "The response carries a directive of the type.",
		bind: func(w *world) any { return w.hasDirective }},
	{Kind: "Then", Pattern: `^Alexa asks for the ` + quoted + ` slot$`, Example: `Alexa asks for the "quantity" slot`,
		Doc: "Alexa is waiting for a value of the slot (Dialog.ElicitSlot, or the dialog model's next required slot).",
		bind: func(w *world) any {
			return func(slot string) error {
				return w.dialogStep("a value for the "+strconv.Quote(slot)+" slot", slot, "", false)
			}
		}},
	{Kind: "Then", Pattern: `^Alexa asks to confirm the ` + quoted + ` slot$`, Example: `Alexa asks to confirm the "date" slot`,
		Doc: "Alexa is waiting for a yes or no about the slot's value.",
		bind: func(w *world) any {
			return func(slot string) error {
				return w.dialogStep("a confirmation of the "+strconv.Quote(slot)+" slot", "", slot, false)
			}
		}},
	{Kind: "Then", Pattern: `^Alexa asks to confirm the intent$`, Example: `Alexa asks to confirm the intent`,
		Doc: "Alexa is waiting for a yes or no about the whole request.",
		bind: func(w *world) any {
			return func() error { return w.dialogStep("a confirmation of the intent", "", "", true) }
		}},
	{Kind: "Then", Pattern: `^the skill received ` + quoted + `$`, Example: `the skill received "OrderIntent"`,
		Doc:  "The last request sent to the skill was an IntentRequest for the intent.",
		bind: func(w *world) any { return func(intent string) error { return w.received(intent, "") } }},
	{Kind: "Then", Pattern: `^the skill received ` + quoted + ` with dialog state ` + quoted + `$`, Example: `the skill received "OrderIntent" with dialog state "COMPLETED"`,
		Doc:  "The last request was an IntentRequest for the intent with that dialogState.",
		bind: func(w *world) any { return w.received }},
	{Kind: "Then", Pattern: `^the slot ` + quoted + ` is ` + quoted + `$`, Example: `the slot "quantity" is "2"`,
		Doc:  "The last IntentRequest carried the slot with that value.",
		bind: func(w *world) any { return w.slotIs }},
	{Kind: "Then", Pattern: `^the slot ` + quoted + ` resolved to ` + quoted + `$`, Example: `the slot "item" resolved to "coffee"`,
		Doc:  "The last IntentRequest carried the slot with an entity-resolution match of that canonical name.",
		bind: func(w *world) any { return w.slotResolved }},
	{Kind: "Then", Pattern: `^the session ends$`, Example: `the session ends`,
		Doc:  "After the last turn the session is closed.",
		bind: func(w *world) any { return func() error { return w.sessionOpen(false) } }},
	{Kind: "Then", Pattern: `^the session stays open$`, Example: `the session stays open`,
		Doc:  "After the last turn the session is still open.",
		bind: func(w *world) any { return func() error { return w.sessionOpen(true) } }},
	{Kind: "Then", Pattern: `^the session attribute ` + quoted + ` is (.+)$`, Example: `the session attribute "turns" is 2`,
		Doc:  "The skill's sessionAttributes hold the JSON value at the (dotted) name; a value that is not JSON is a string.",
		bind: func(w *world) any { return w.sessionAttribute }},
	{Kind: "Then", Pattern: `^the response at ` + quoted + ` is (.+)$`, Example: `the response at "response.card.type" is "LinkAccount"`,
		Doc:  "The response JSON holds the value at the dotted path (array items by index: response.directives.0.type).",
		bind: func(w *world) any { return w.responseAt }},
	{Kind: "Then", Pattern: `^the skill read the user's (.+) from the profile API$`, Example: `the skill read the user's email from the profile API`,
		Doc:  "The Alexa API fake answered this user's request for the value: 200 with it, or 204 when the user has none (name, given name, email, mobile number, address, country and postal code).",
		bind: func(w *world) any { return func(field string) error { return w.apiCall(field, 200) } }},
	{Kind: "Then", Pattern: `^the profile API refused the skill's request for the (.+)$`, Example: `the profile API refused the skill's request for the email`,
		Doc:  "The Alexa API fake answered this user's request for the value with 403, because the scope was not granted.",
		bind: func(w *world) any { return func(field string) error { return w.apiCall(field, 403) } }},
	{Kind: "Then", Pattern: `^the skill called ` + quoted + `$`, Example: `the skill called "GET /v1/me/playlists"`,
		Doc:  "The provider's API got a call to the resource with a token the scenario's requests carried, or with none; whatever it answered.",
		bind: func(w *world) any { return func(route string) error { return w.skillCalled(route, 0) } }},
	{Kind: "Then", Pattern: `^the skill called ` + quoted + ` and got (\d+)$`, Example: `the skill called "GET /v1/me/playlists" and got 401`,
		Doc:  "The provider's API answered such a call with the status.",
		bind: func(w *world) any { return w.skillCalled }},
	{Kind: "Then", Pattern: `^the skill did not call the API$`, Example: `the skill did not call the API`,
		Doc:  "The provider's API got no call with a token the scenario's requests carried, nor any without a token since the scenario began.",
		bind: func(w *world) any { return w.noResourceCall }},
	{Kind: "Then", Pattern: `^the skill did not call the profile API$`, Example: `the skill did not call the profile API`,
		Doc:  "The Alexa API fake got no request with this user's token.",
		bind: func(w *world) any { return w.noAPICall }},
}

// Given.

func (w *world) consentScenario(ctx context.Context, name string) error {
	c, err := simulator.ParseConsent(name)
	if err != nil {
		return err
	}
	w.unlink()
	w.setConsent(c.Unlink())
	if c.Linked {
		return w.link(ctx, "") // a real link: the token works at the OAuth fake's /userinfo
	}
	return nil
}

func (w *world) grantNone() error {
	c := w.consent()
	w.setConsent(c.Revoke(c.Scopes...))
	return nil
}

func (w *world) grant(name string) error {
	scope, err := alexa.ParseScope(name)
	if err != nil {
		return err
	}
	w.setConsent(w.consent().Grant(scope))
	return nil
}

func (w *world) revoke(name string) error {
	scope, err := alexa.ParseScope(name)
	if err != nil {
		return err
	}
	w.setConsent(w.consent().Revoke(scope))
	return nil
}

func (w *world) link(ctx context.Context, username string) error {
	return w.linkWith(ctx, username, nil)
}

// linkWith links through the OAuth fake, asking for scopes (nil: all the
// client's), and makes the account the source of the token in every
// request; the API answers scripted so far apply to its grant.
func (w *world) linkWith(ctx context.Context, username string, scopes []string) error {
	acct, user, err := w.suite.link(ctx, username, scopes)
	if err != nil {
		return err
	}
	w.linked, w.linkedUser = acct, user
	if w.conv != nil {
		w.conv.SetLinkedAccount(acct)
	} else {
		w.pending = w.pending.Link("")
	}
	return w.applyAPIScript()
}

func (w *world) linkScopes(ctx context.Context, list string) error {
	var scopes []string
	for _, sc := range strings.Split(unescape(list), ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			scopes = append(scopes, sc)
		}
	}
	if len(scopes) == 0 {
		return fmt.Errorf("no scope in %q: name one or more, separated by commas", list)
	}
	return w.linkWith(ctx, "", scopes)
}

func (w *world) unlink() error {
	w.linked, w.linkedUser = nil, ""
	if w.conv != nil {
		w.conv.SetLinkedAccount(nil)
	}
	w.setConsent(w.consent().Unlink())
	return nil
}

func (w *world) profile(table *godog.Table) error {
	doc, err := profileFields(table, w.suite.defaultProfile)
	if err != nil {
		return err
	}
	p, err := alexaapi.ParseProfile(doc, "the user's profile table", w.suite.defaultProfile)
	if err != nil {
		return err
	}
	w.suite.api.SetProfile(w.conversation().Identity().UserID, p)
	w.ownProfile = true
	return nil
}

func (w *world) setLocale(l string) error {
	w.voice = nil // the model is the locale's
	if w.conv != nil {
		return w.conv.SetLocale(l)
	}
	if err := simulator.CheckLocale(l); err != nil {
		return err
	}
	w.locale = l
	return nil
}

func (w *world) setDevice(name string) error {
	d, err := simulator.DevicePreset(name)
	if err != nil {
		return err
	}
	if w.conv != nil {
		w.conv.SetDevice(d)
	}
	w.device = &d
	return nil
}

// When.

func (w *world) open(ctx context.Context) error {
	return w.send(ctx, "opens the skill", simulator.LaunchRequest())
}

func (w *world) invoke(ctx context.Context, intent string) error {
	return w.send(ctx, fmt.Sprintf("invokes %q", intent), simulator.IntentRequest(intent))
}

func (w *world) invokeWith(ctx context.Context, intent string, table *godog.Table) error {
	opts, said, err := slotOptions(table)
	if err != nil {
		return err
	}
	return w.send(ctx, fmt.Sprintf("invokes %q with %s", intent, said), simulator.IntentRequest(intent, opts...))
}

func (w *world) endSession(ctx context.Context) error {
	return w.send(ctx, "ends the session", simulator.SessionEndedRequest(simulator.ReasonUserInitiated, nil))
}

func (w *world) answerPermission(status string) func(context.Context) error {
	return func(ctx context.Context) error {
		req, err := w.conversation().AnswerPermissionRequest(status)
		if err != nil {
			return w.fail("%v", err)
		}
		return w.send(ctx, fmt.Sprintf("answers the permission request: %s", status), req)
	}
}

// Then.

func (w *world) refuses() error {
	if len(w.turns) == 0 {
		return errors.New("no request yet: a When step such as `the user opens the skill` must come first")
	}
	rec := w.turns[len(w.turns)-1]
	if _, ok := simulator.Refusal(rec.err); ok {
		return nil
	}
	why := "a verifier refuses"
	if on, fault := w.conversation().RequestSigning(); !on {
		why = "a verifier refuses an unsigned request"
	} else if fault != signing.FaultNone {
		why = "a verifier refuses a request signed with " + fault.Describe()
	}
	got := "an answer (HTTP 200)"
	if rec.err != nil {
		got = firstLine(rec.err)
	}
	return w.expected("the skill to refuse the request with an HTTP 4xx status, as "+why, got, "")
}

func (w *world) says(text string) error {
	want := normalizeSpeech(text)
	return w.checkSpeech(false, fmt.Sprintf("Alexa to say %q", want), func(got string) bool { return got == want })
}

func (w *world) saysContaining(text string) error {
	want := normalizeSpeech(text)
	return w.checkSpeech(false, fmt.Sprintf("Alexa to say something containing %q", want), func(got string) bool { return strings.Contains(got, want) })
}

func (w *world) saysMatching(expr string) error {
	re, err := regexp.Compile(expr)
	if err != nil {
		return fmt.Errorf("regular expression %q: %v", expr, err)
	}
	return w.checkSpeech(false, fmt.Sprintf("Alexa to say something matching %s", re), re.MatchString)
}

func (w *world) saysNothing() error {
	return w.checkSpeech(false, "Alexa to say nothing", func(got string) bool { return got == "" })
}

func (w *world) reprompts(text string) error {
	want := normalizeSpeech(text)
	return w.checkSpeech(true, fmt.Sprintf("Alexa to reprompt %q", want), func(got string) bool { return got == want })
}

func (w *world) hasCard(cardType string) error {
	t, err := w.last()
	if err != nil {
		return err
	}
	c := t.Response.Response.Card
	switch {
	case c == nil:
		return w.expected(fmt.Sprintf("a %s card", cardType), "no card", "response.card")
	case c.Type != cardType:
		return w.expected(fmt.Sprintf("a %s card", cardType), fmt.Sprintf("a %s card", c.Type), "response.card.type")
	}
	return nil
}

func (w *world) hasNoCard() error {
	t, err := w.last()
	if err != nil {
		return err
	}
	if c := t.Response.Response.Card; c != nil {
		return w.expected("no card", fmt.Sprintf("a %s card", c.Type), "response.card")
	}
	return nil
}

func (w *world) asksForPermission(name string) error {
	scope, err := alexa.ParseScope(name)
	if err != nil {
		return err
	}
	t, err := w.last()
	if err != nil {
		return err
	}
	asked := t.Response.ScopeRequests()
	if slices.ContainsFunc(asked, func(a simulator.ScopeRequest) bool { return a.Scope == scope }) {
		return nil
	}
	return w.expected(fmt.Sprintf("a request for the %q permission", scope), describeAsked(asked), "response.card")
}

func (w *world) hasDirective(typ string) error {
	t, err := w.last()
	if err != nil {
		return err
	}
	if types := t.Response.DirectiveTypes(); !slices.Contains(types, typ) {
		return w.expected(fmt.Sprintf("a %s directive", typ), listOr(types, "no directives"), "response.directives")
	}
	return nil
}

func (w *world) sessionOpen(want bool) error {
	if _, err := w.last(); err != nil {
		return err
	}
	if open := w.conversation().SessionID() != ""; open != want {
		state := map[bool]string{true: "the session to stay open", false: "the session to end"}
		got := map[bool]string{true: "it stayed open", false: "it ended"}
		return w.expected(state[want], got[open], "response.shouldEndSession")
	}
	return nil
}

func (w *world) sessionAttribute(name, value string) error {
	return w.valueAt("sessionAttributes."+name, value)
}

func (w *world) responseAt(path, value string) error { return w.valueAt(path, value) }

func (w *world) valueAt(path, value string) error {
	t, err := w.last()
	if err != nil {
		return err
	}
	want, err := jsonValue(value)
	if err != nil {
		return err
	}
	got, ok := t.ValueAt(path)
	if !ok {
		return w.expected(jsonText(want), "nothing there", path)
	}
	if !equalJSONValues(got, want) {
		return w.expected(jsonText(want), jsonText(got), path)
	}
	return nil
}

func (w *world) apiCall(field string, status int) error {
	scope, err := alexa.ParseScope(field)
	if err != nil {
		return err
	}
	calls := w.apiCalls(scope)
	// 204 is an answer too: the API said the user has no such value.
	if slices.ContainsFunc(calls, func(c alexaapi.Request) bool { return c.Status == status || status == 200 && c.Status == 204 }) {
		return nil
	}
	what := map[int]string{200: "answer", 403: "refuse"}[status]
	return w.expected(fmt.Sprintf("the Alexa API to %s (%d) a request for %s", what, status, scope), describeCalls(calls, true, "no request for it"), "")
}

func (w *world) noAPICall() error {
	if calls := w.apiCalls(""); len(calls) > 0 {
		return w.expected("no call to the Alexa APIs", describeCalls(calls, false, ""), "")
	}
	return nil
}

// dialogStep checks what Alexa waits for after the last utterance.
func (w *world) dialogStep(what, elicit, confirm string, intent bool) error {
	if len(w.turns) == 0 || w.turns[len(w.turns)-1].exchange == nil {
		return errors.New("dialog steps follow `the user says`: no utterance yet")
	}
	d := w.turns[len(w.turns)-1].exchange.Dialog
	if d.ElicitSlot == elicit && d.ConfirmSlot == confirm && d.ConfirmIntent == intent && d.Open() {
		return nil
	}
	got := "nothing: no dialog step is open"
	if d.Open() {
		got = d.String()
	}
	return w.expected("Alexa to wait for "+what, got, "")
}

func (w *world) received(intent, state string) error {
	r, err := w.lastRequest()
	if err != nil {
		return err
	}
	if r.Intent == nil || r.Intent.Name != intent || state != "" && r.DialogState != state {
		want := simulator.Request{Type: simulator.TypeIntentRequest, Intent: &simulator.Intent{Name: intent}, DialogState: state}
		return w.expected("the skill to receive "+want.Summary(), r.Summary(), "request.intent")
	}
	return nil
}

func (w *world) slotIs(slot, value string) error {
	sl, path, err := w.lastSlot(slot)
	if err != nil {
		return err
	}
	if sl.Value != value {
		return w.expected(strconv.Quote(value), strconv.Quote(sl.Value), path+".value")
	}
	return nil
}

func (w *world) slotResolved(slot, value string) error {
	sl, path, err := w.lastSlot(slot)
	if err != nil {
		return err
	}
	if ok, got := sl.ResolvesTo(value); !ok {
		return w.expected(fmt.Sprintf("a match to %q", value), listOr(got, "no entity resolution"), path+".resolutions")
	}
	return nil
}
