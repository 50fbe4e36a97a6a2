package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
	"github.com/asksim/asksim/simulator/apitoken"
	"github.com/spf13/pflag"
)

// simFlags are the flags that shape every envelope: who the skill is, who
// speaks, through which device, with which consent.
type simFlags struct {
	consent     string
	grants      []string
	accessToken string
	locale      string
	skillID     string
	device      string
	region      string
	apiEndpoint string
	keyFile     string
	seed        string
	at          string
}

func (f *simFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.consent, "consent", simulator.ScenarioNone, "consent scenario: "+strings.Join(simulator.Scenarios(), ", "))
	fs.StringArrayVar(&f.grants, "grant", nil, "grant a permission as well: a short name ("+strings.Join(alexa.ShortNames(), ", ")+") or a full scope string (repeatable)")
	fs.StringVar(&f.accessToken, "access-token", "", "linked account's access token (implies a linked account)")
	fs.StringVar(&f.locale, "locale", simulator.DefaultLocale, "request locale, e.g. de-DE")
	fs.StringVar(&f.skillID, "skill-id", simulator.DefaultSkillID, "skill id (amzn1.ask.skill.<uuid>)")
	fs.StringVar(&f.device, "device", simulator.DefaultDevice, "device preset: "+strings.Join(simulator.DeviceNames(), ", "))
	fs.StringVar(&f.region, "region", simulator.DefaultRegion, "region of the apiEndpoint: NA, EU or FE")
	fs.StringVar(&f.apiEndpoint, "api-endpoint", "", "apiEndpoint URL, e.g. that of 'asksim fakes' (overrides --region)")
	fs.StringVar(&f.keyFile, "key", "", "PEM RSA key that signs apiAccessTokens (default: a new key each run)")
	fs.StringVar(&f.seed, "seed", "", "make generated ids (user, device, session, request) a function of this number")
	fs.StringVar(&f.at, "time", "", "use this RFC 3339 time instead of now, for reproducible envelopes")
}

// simulator builds the Simulator and Consent the flags describe, with the
// extra options of the calling command.
func (f *simFlags) simulator(extra ...simulator.Option) (*simulator.Simulator, simulator.Consent, error) {
	consent, err := parseConsent(f.consent, f.grants, f.accessToken)
	if err != nil {
		return nil, consent, err
	}
	// simulator.New would refuse these too, but without naming the flag.
	if err := simulator.CheckSkillID(f.skillID); err != nil {
		return nil, consent, usagef("--skill-id: %v", err)
	}
	if err := simulator.CheckLocale(f.locale); err != nil {
		return nil, consent, usagef("--locale: %v", err)
	}
	opts := []simulator.Option{simulator.WithSkillID(f.skillID), simulator.WithLocale(f.locale)}
	if _, err := simulator.DevicePreset(f.device); err != nil {
		return nil, consent, usagef("--device: %v", err)
	}
	opts = append(opts, simulator.WithDevice(f.device))
	if _, err := simulator.RegionEndpoint(f.region); err != nil {
		return nil, consent, usagef("--region: %v", err)
	}
	opts = append(opts, simulator.WithRegion(f.region))
	if f.apiEndpoint != "" {
		if err := simulator.CheckAPIEndpoint(f.apiEndpoint); err != nil {
			return nil, consent, usagef("--api-endpoint: %v", err)
		}
		opts = append(opts, simulator.WithAPIEndpoint(f.apiEndpoint))
	}
	now := time.Now
	if f.at != "" {
		t, err := time.Parse(time.RFC3339, f.at)
		if err != nil {
			return nil, consent, usagef("--time %q: want RFC 3339, e.g. 2026-01-02T15:04:05Z", f.at)
		}
		now = func() time.Time { return t }
		opts = append(opts, simulator.WithClock(now))
	}
	if f.seed != "" {
		n, err := strconv.ParseUint(f.seed, 10, 64)
		if err != nil {
			return nil, consent, usagef("--seed %q: want a non-negative integer", f.seed)
		}
		opts = append(opts, simulator.WithSeed(n))
	}
	if f.keyFile != "" {
		key, err := apitoken.LoadKeyFile(f.keyFile)
		if err != nil {
			return nil, consent, usagef("--key: %v", err)
		}
		opts = append(opts, simulator.WithSigner(apitoken.NewSigner(key, apitoken.WithClock(now))))
	}
	sim, err := simulator.New(append(opts, extra...)...)
	if err != nil {
		return nil, consent, usagef("%v", err)
	}
	return sim, consent, nil
}

// parseConsent reads --consent, --grant and --access-token.
func parseConsent(scenario string, grants []string, accessToken string) (simulator.Consent, error) {
	consent, err := simulator.ParseConsent(scenario)
	if err != nil {
		return consent, usagef("--consent: %v", err)
	}
	for _, g := range grants {
		scope, err := alexa.ParseScope(g)
		if err != nil {
			return consent, usagef("--grant: %v", err)
		}
		consent = consent.Grant(scope)
	}
	if accessToken != "" {
		consent = consent.Link(accessToken)
	}
	return consent, nil
}

// requestFlags are the flags that shape the request object itself.
type requestFlags struct {
	slots        []string
	dialogState  string
	confirmation string
	reason       string
	status       string
	token        string
	offset       int64
	cause        string
	message      string
	version      string
	code         string
}

func (f *requestFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.slots, "slot", nil, "slot as name=value; name= leaves it unfilled (repeatable)")
	fs.StringVar(&f.dialogState, "dialog-state", "", "intent: dialogState STARTED, IN_PROGRESS or COMPLETED")
	fs.StringVar(&f.confirmation, "confirmation", "", "intent: confirmationStatus NONE, CONFIRMED or DENIED")
	fs.StringVar(&f.reason, "reason", simulator.ReasonUserInitiated, "session-ended: USER_INITIATED, ERROR or EXCEEDED_MAX_REPROMPTS")
	fs.StringVar(&f.status, "status", simulator.PermissionAccepted, "permission-response, session-resumed: the user's answer, ACCEPTED, DENIED or NOT_ANSWERED")
	fs.StringVar(&f.token, "token", "", "permission-response, session-resumed: the token the skill sent; audioplayer: the stream token")
	fs.StringVar(&f.version, "permission-version", "2", "permission-response: the @version of the AskFor it answers; 1 answers with a single payload.permissionScope")
	fs.StringVar(&f.code, "code", simulator.PermissionCodeOK, "permission-response, session-resumed: status.code, e.g. 400 for a scope the manifest lacks (the user is not asked)")
	fs.Int64Var(&f.offset, "offset", 0, "audioplayer: offsetInMilliseconds")
	fs.StringVar(&f.cause, "cause", "", "exception: the requestId whose response failed")
	fs.StringVar(&f.message, "message", "", "exception and session-ended ERROR: the error message")
}

const requestKinds = "launch, intent NAME, session-ended, can-fulfill NAME, permission-response SCOPE..., session-resumed SCOPE..., exception, audioplayer EVENT"

// build turns positional arguments into a request.
func (f *requestFlags) build(args []string) (simulator.Request, error) {
	if len(args) == 0 {
		return simulator.Request{}, usagef("missing request: one of %s", requestKinds)
	}
	kind, rest := strings.ToLower(args[0]), args[1:]
	want := func(n int, what string) error {
		if len(rest) != n {
			return usagef("%s takes %s, got %d argument(s): %q", kind, what, len(rest), rest)
		}
		return nil
	}
	switch kind {
	case "launch":
		if err := want(0, "no arguments"); err != nil {
			return simulator.Request{}, err
		}
		return simulator.LaunchRequest(), nil
	case "intent", "can-fulfill":
		if err := want(1, "one argument, the intent name"); err != nil {
			return simulator.Request{}, err
		}
		opts, err := f.intentOptions()
		if err != nil {
			return simulator.Request{}, err
		}
		if kind == "intent" {
			return simulator.IntentRequest(rest[0], opts...), nil
		}
		return simulator.CanFulfillIntentRequest(rest[0], opts...), nil
	case "session-ended":
		if err := want(0, "no arguments"); err != nil {
			return simulator.Request{}, err
		}
		reason := strings.ToUpper(f.reason)
		switch reason {
		case simulator.ReasonUserInitiated, simulator.ReasonError, simulator.ReasonExceededMaxReprompts:
		default:
			return simulator.Request{}, usagef("--reason %q: want USER_INITIATED, ERROR or EXCEEDED_MAX_REPROMPTS", f.reason)
		}
		msg := f.message
		if msg == "" {
			msg = "An exception occurred while dispatching the request to the skill."
		}
		return simulator.SessionEndedRequest(reason, &simulator.Error{Type: "INTERNAL_SERVICE_ERROR", Message: msg}), nil
	case "permission-response", "session-resumed":
		status := strings.ToUpper(f.status)
		switch status {
		case simulator.PermissionAccepted, simulator.PermissionDenied, simulator.PermissionNotAnswered:
		default:
			return simulator.Request{}, usagef("--status %q: want ACCEPTED, DENIED or NOT_ANSWERED", f.status)
		}
		if f.version != "1" && f.version != "2" {
			return simulator.Request{}, usagef("--permission-version %q: want 1 or 2", f.version)
		}
		if len(f.code) != 3 || strings.Trim(f.code, "0123456789") != "" {
			return simulator.Request{}, usagef("--code %q: want a three-digit status such as 200 or 400", f.code)
		}
		var scopes []string
		for _, a := range rest {
			s, err := alexa.ParseScope(a)
			if err != nil {
				return simulator.Request{}, usagef("%s: %v", kind, err)
			}
			scopes = append(scopes, s)
		}
		a := simulator.PermissionAnswer{Flow: simulator.FlowAskFor, Version: f.version, Status: status, Scopes: scopes,
			Token: f.token, Code: f.code}
		if kind == "session-resumed" {
			// Voice-forward consent asks for profile data.
			a.Flow = simulator.FlowVoiceForward
			if len(a.Scopes) == 0 {
				a.Scopes = []string{alexa.ScopeEmail}
			}
		} else if len(a.Scopes) == 0 {
			a.Scopes = []string{alexa.ScopeReminders}
		}
		if a.Version == "1" && len(a.Scopes) > 1 {
			return simulator.Request{}, usagef("--permission-version 1 answers a single scope, got %d", len(a.Scopes))
		}
		if a.Code != simulator.PermissionCodeOK {
			a.Status = "" // the user was not asked
		}
		return a.Request(), nil
	case "exception":
		if err := want(0, "no arguments"); err != nil {
			return simulator.Request{}, err
		}
		msg := f.message
		if msg == "" {
			msg = "Invalid response: the skill's response could not be used."
		}
		return simulator.ExceptionEncountered("INVALID_RESPONSE", msg, f.cause), nil
	case "audioplayer":
		if err := want(1, "one argument, the event ("+strings.Join(simulator.AudioPlayerEventNames(), ", ")+")"); err != nil {
			return simulator.Request{}, err
		}
		r, err := simulator.AudioPlayerEvent(rest[0], f.token, f.offset)
		if err != nil {
			return r, usagef("audioplayer: %v", err)
		}
		return r, nil
	}
	return simulator.Request{}, usagef("unknown request %q: want one of %s", args[0], requestKinds)
}

func (f *requestFlags) intentOptions() ([]simulator.RequestOption, error) {
	var opts []simulator.RequestOption
	for _, s := range f.slots {
		name, value, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, usagef("--slot %q: want name=value", s)
		}
		opts = append(opts, simulator.WithSlot(strings.TrimSpace(name), value))
	}
	if f.dialogState != "" {
		st := strings.ToUpper(f.dialogState)
		if st != simulator.DialogStarted && st != simulator.DialogInProgress && st != simulator.DialogCompleted {
			return nil, usagef("--dialog-state %q: want STARTED, IN_PROGRESS or COMPLETED", f.dialogState)
		}
		opts = append(opts, simulator.WithDialogState(st))
	}
	if f.confirmation != "" {
		c := strings.ToUpper(f.confirmation)
		if c != simulator.ConfirmationNone && c != simulator.ConfirmationConfirmed && c != simulator.ConfirmationDenied {
			return nil, usagef("--confirmation %q: want NONE, CONFIRMED or DENIED", f.confirmation)
		}
		opts = append(opts, simulator.WithIntentConfirmation(c))
	}
	return opts, nil
}

func writeJSONIndent(w interface{ Write([]byte) (int, error) }, b []byte) error {
	_, err := fmt.Fprintf(w, "%s\n", b)
	return err
}
