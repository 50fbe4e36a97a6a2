package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/asksim/asksim/internal/jsondiag"
	"github.com/asksim/asksim/internal/jsonlimit"
	"github.com/asksim/asksim/simulator/alexa"
)

// Violation is one way a response breaks Alexa's response contract: the
// rule, the JSON path of the offending value ("" for the whole response)
// and what is wrong.
type Violation struct {
	Rule    string `json:"rule"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

func (v Violation) String() string {
	if v.Path == "" {
		return v.Rule + ": " + v.Message
	}
	return v.Rule + " at " + v.Path + ": " + v.Message
}

// Rule ids of the response contract (docs/alexa-contract.md §5, §6).
// They are stable: tests and feature files may name them.
const (
	RuleJSON                = "json"                  // a JSON object with the schema's types; response present
	RuleVersion             = "version"               // version is "1.0"
	RuleSpeechType          = "speech-type"           // outputSpeech is PlainText{text} or SSML{ssml}; known playBehavior
	RuleSSMLWellFormed      = "ssml-wellformed"       // well-formed XML inside <speak>…</speak>
	RuleSSMLTag             = "ssml-tag"              // only the SSML tags Alexa supports
	RuleSSMLEscape          = "ssml-escape"           // & and < in text are escaped
	RuleSpeechLength        = "speech-length"         // speech ≤ 8000 characters
	RuleResponseSize        = "response-size"         // whole response ≤ 120 KB
	RuleCardType            = "card-type"             // Simple, Standard, LinkAccount or AskForPermissionsConsent
	RuleCardFields          = "card-fields"           // a card has its type's fields only, within the limits
	RuleLinkAccountFields   = "link-account-fields"   // a LinkAccount card has no field but type
	RulePermissionsCard     = "permissions-card"      // AskForPermissionsConsent lists known runtime scopes
	RuleCardImageHTTPS      = "card-image-https"      // Standard card images are https URLs
	RuleDirectiveType       = "directive-type"        // directives have a known type
	RuleDialogEndSession    = "dialog-end-session"    // Dialog directives keep the session open
	RuleSpeechOnSessionless = "speech-on-sessionless" // nothing spoken to SessionEnded, AudioPlayer, ExceptionEncountered
	RuleTimeout             = "timeout"               // answered within 8 s
)

// Rule describes one rule of the response contract.
type Rule struct {
	ID      string
	Summary string
}

// Rules lists the rules CheckResponse applies, in the order it reports them.
func Rules() []Rule {
	return []Rule{
		{RuleJSON, "the body is a JSON object whose known fields have the schema's types, with a response object"},
		{RuleVersion, `version is "1.0"`},
		{RuleSpeechType, "outputSpeech is PlainText with text or SSML with ssml, with a known playBehavior"},
		{RuleSSMLWellFormed, "SSML is well-formed XML wrapped in <speak>…</speak>"},
		{RuleSSMLTag, "SSML uses only the tags Alexa supports"},
		{RuleSSMLEscape, "& and < in SSML text are written &amp; and &lt;"},
		{RuleSpeechLength, "speech and reprompt are at most 8000 characters each"},
		{RuleResponseSize, "the whole response is at most 120 KB"},
		{RuleCardType, "a card is Simple, Standard, LinkAccount or AskForPermissionsConsent"},
		{RuleCardFields, "a card has only its type's fields; card text ≤ 8000 characters, image URLs ≤ 2000"},
		{RuleLinkAccountFields, "a LinkAccount card has no field but type"},
		{RulePermissionsCard, "an AskForPermissionsConsent card lists at least one known runtime scope"},
		{RuleCardImageHTTPS, "Standard card image URLs are https"},
		{RuleDirectiveType, "every directive has a known type"},
		{RuleDialogEndSession, "Dialog directives are not combined with shouldEndSession true"},
		{RuleSpeechOnSessionless, "answers to SessionEndedRequest, AudioPlayer and System.ExceptionEncountered requests have no outputSpeech, reprompt or card"},
		{RuleTimeout, "the skill answers within 8 seconds"},
		{RulePermissionNotInManifest, "with a skill package: a consent card or voice permission request asks only for scopes the manifest declares"},
	}
}

// Limits of the response contract (§6.3, §6.4).
const (
	MaxSpeechChars    = 8000
	MaxCardChars      = 8000
	MaxImageURLChars  = 2000
	MaxResponseSize   = 120 * 1024
	ResponseTimeLimit = 8 * time.Second
)

// MaxJSONDepth is how deep asksim reads the JSON it is handed from
// outside: a skill's answer, and an envelope sent whole (SendEnvelope).
// Alexa's envelopes nest about a dozen levels; sessionAttributes and APL
// documents are the skill's own, hence the room. Deeper is an error that
// names the line, found before any decoder or checker recurses.
const MaxJSONDepth = 128

// knownDirectives are the directive types of the ASK model's Directive union
// (ask-sdk-model 1.86, §6.1).
var knownDirectives = map[string]bool{
	"Dialog.Delegate": true, "Dialog.ElicitSlot": true, "Dialog.ConfirmSlot": true, "Dialog.ConfirmIntent": true,
	"Dialog.UpdateDynamicEntities": true, "Dialog.DelegateRequest": true,
	"AudioPlayer.Play": true, "AudioPlayer.Stop": true, "AudioPlayer.ClearQueue": true,
	"Alexa.Presentation.APL.RenderDocument": true, "Alexa.Presentation.APL.ExecuteCommands": true,
	"Alexa.Presentation.APL.SendIndexListData": true, "Alexa.Presentation.APL.UpdateIndexListData": true,
	"Alexa.Presentation.APL.SendTokenListData": true,
	"Alexa.Presentation.APLA.RenderDocument":   true,
	"Alexa.Presentation.APLT.RenderDocument":   true, "Alexa.Presentation.APLT.ExecuteCommands": true,
	"Alexa.Presentation.HTML.Start": true, "Alexa.Presentation.HTML.HandleMessage": true,
	"Connections.SendRequest": true, "Connections.StartConnection": true, "Tasks.CompleteTask": true,
	"CustomInterfaceController.SendDirective": true, "CustomInterfaceController.StartEventHandler": true,
	"CustomInterfaceController.StopEventHandler": true,
	"Display.RenderTemplate":                     true, "Hint": true, "VideoApp.Launch": true,
	"GadgetController.SetLight": true, "GameEngine.StartInputHandler": true, "GameEngine.StopInputHandler": true,
	"Alexa.Advertisement.InjectAds": true,
}

var playBehaviors = map[string]bool{"ENQUEUE": true, "REPLACE_ALL": true, "REPLACE_ENQUEUED": true}

// CheckResponse checks a skill's answer raw to req against Alexa's response
// contract and returns every violation, nil for a valid answer. req may be
// nil, which skips the rules that depend on the request; elapsed is how long
// the skill took (0 skips the timeout rule).
func CheckResponse(req *Request, raw []byte, elapsed time.Duration) []Violation {
	return decodeResponse(req, raw, elapsed).violations
}

// decoded is an answer decoded and checked.
type decoded struct {
	// env is nil when the answer is not a JSON object.
	env        *ResponseEnvelope
	violations []Violation
	// syntax is set when the answer is not JSON at all, which Send reports
	// as a skill fault rather than a violation.
	syntax error
}

// responseDecode tells absent fields from empty ones where the contract
// cares.
type responseDecode struct {
	Version           *string         `json:"version"`
	SessionAttributes json.RawMessage `json:"sessionAttributes"`
	UserAgent         string          `json:"userAgent"`
	Response          *ResponseBody   `json:"response"`
}

// decodeResponse decodes raw once and checks it: the typed envelope serves
// both the caller and the rules.
func decodeResponse(req *Request, raw []byte, elapsed time.Duration) decoded {
	c := checker{req: req}
	if len(raw) > MaxResponseSize {
		c.add(RuleResponseSize, "", fmt.Sprintf("response is %d bytes, more than %d (120 KB); sessionAttributes count too", len(raw), MaxResponseSize))
	}
	if elapsed > ResponseTimeLimit {
		c.add(RuleTimeout, "", fmt.Sprintf("answered after %v, Alexa waits %v", elapsed.Round(time.Millisecond), ResponseTimeLimit))
	}
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		c.add(RuleJSON, "", "the body is empty, want a JSON response envelope")
		return decoded{violations: c.v, syntax: errors.New("empty body")}
	}
	var de *jsonlimit.DepthError
	if errors.As(jsonlimit.CheckDepth(t, MaxJSONDepth), &de) {
		c.add(RuleJSON, "", "the body cannot be read: "+de.Error())
		return decoded{violations: c.v, syntax: de}
	}
	if t[0] != '{' {
		if err := json.Unmarshal(t, new(any)); err != nil {
			c.add(RuleJSON, "", "the body is not JSON: "+err.Error())
			return decoded{violations: c.v, syntax: err}
		}
		c.add(RuleJSON, "", "the body is "+jsondiag.A(jsondiag.KindOf(t))+", want a JSON object")
		return decoded{violations: c.v}
	}
	var d responseDecode
	if err := json.Unmarshal(t, &d); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			c.add(RuleJSON, "", "the body is not JSON: "+err.Error())
			return decoded{violations: c.v, syntax: err}
		}
		// The decoder reports only its first type mismatch; walk the
		// document to name them all.
		n := len(c.v)
		checkTypes(t, c.add)
		if len(c.v) == n {
			c.add(RuleJSON, te.Field, fmt.Sprintf("want %v, got JSON %s", te.Type, te.Value))
		}
	}
	env := &ResponseEnvelope{SessionAttributes: d.SessionAttributes, UserAgent: d.UserAgent}
	if d.Version != nil {
		env.Version = *d.Version
	}
	if d.Response != nil {
		env.Response = *d.Response
	}
	if string(env.SessionAttributes) == "null" {
		env.SessionAttributes = nil
	}
	typeErrs := len(c.v)
	c.envelope(t, &d, env)
	if typeErrs > 0 {
		c.dropEchoes(typeErrs)
	}
	return decoded{env: env, violations: c.v}
}

// dropEchoes removes violations, after the first n, at a path a type
// violation already names: a value of the wrong type decodes as absent, and
// "PlainText speech has no text" would only repeat "text is a number".
func (c *checker) dropEchoes(n int) {
	bad := map[string]bool{}
	for _, v := range c.v[:n] {
		if v.Rule == RuleJSON {
			bad[v.Path] = true
		}
	}
	c.v = append(c.v[:n], slices.DeleteFunc(c.v[n:], func(v Violation) bool { return bad[v.Path] })...)
}

type checker struct {
	req *Request
	v   []Violation
}

func (c *checker) add(rule, path, msg string) {
	c.v = append(c.v, Violation{Rule: rule, Path: path, Message: msg})
}

func (c *checker) envelope(raw []byte, d *responseDecode, env *ResponseEnvelope) {
	switch {
	case d.Version == nil:
		c.add(RuleVersion, "version", `version is missing, want "1.0"`)
	case *d.Version != "1.0":
		c.add(RuleVersion, "version", fmt.Sprintf(`version is %q, want "1.0"`, *d.Version))
	}
	if a := env.SessionAttributes; len(a) > 0 && a[0] != '{' {
		c.add(RuleJSON, "sessionAttributes", "sessionAttributes is "+jsondiag.A(jsondiag.KindOf(a))+", want an object")
	}
	if d.Response == nil {
		c.add(RuleJSON, "response", "response is missing")
		return
	}
	r := &env.Response
	c.speech(r.OutputSpeech, "response.outputSpeech")
	if r.Reprompt != nil {
		c.speech(r.Reprompt.OutputSpeech, "response.reprompt.outputSpeech")
		c.directives(r.Reprompt.Directives, "response.reprompt.directives")
	}
	if r.Card != nil {
		c.card(raw, r.Card)
	}
	c.directives(r.Directives, "response.directives")
	if r.ShouldEndSession != nil && *r.ShouldEndSession {
		for i, d := range r.Directives {
			if strings.HasPrefix(d.Type, "Dialog.") {
				c.add(RuleDialogEndSession, "response.shouldEndSession",
					fmt.Sprintf("shouldEndSession is true with %s (response.directives.%d): Dialog directives need the session open", d.Type, i))
				break
			}
		}
	}
	if c.req != nil && mustBeSilent(c.req.Type) {
		silent := func(present bool, path string) {
			if present {
				c.add(RuleSpeechOnSessionless, path, fmt.Sprintf("a response to %s must not speak or show a card", c.req.Type))
			}
		}
		silent(r.OutputSpeech != nil, "response.outputSpeech")
		silent(r.Reprompt != nil, "response.reprompt")
		silent(r.Card != nil, "response.card")
	}
}

// mustBeSilent reports whether answers to requests of type t may hold no
// speech, reprompt or card (§2.5, §2.8, §2.9).
func mustBeSilent(t string) bool {
	return t == TypeSessionEndedRequest || t == TypeExceptionEncountered || strings.HasPrefix(t, "AudioPlayer.")
}

func (c *checker) speech(s *OutputSpeech, path string) {
	if s == nil {
		return
	}
	// Paths are joined only when a violation needs one: this runs on every
	// turn.
	at := func(field string) string { return path + "." + field }
	if s.PlayBehavior != "" && !playBehaviors[s.PlayBehavior] {
		c.add(RuleSpeechType, at("playBehavior"), fmt.Sprintf("playBehavior %q: want ENQUEUE, REPLACE_ALL or REPLACE_ENQUEUED", s.PlayBehavior))
	}
	switch s.Type {
	case "PlainText":
		if s.SSML != "" {
			c.add(RuleSpeechType, at("ssml"), "PlainText speech has ssml: set type SSML or move it to text")
		}
		if s.Text == "" {
			c.add(RuleSpeechType, at("text"), "PlainText speech has no text")
			return
		}
		c.speechLength(s.Text, path, "text")
	case "SSML":
		if s.Text != "" {
			c.add(RuleSpeechType, at("text"), "SSML speech has text: set type PlainText or move it to ssml")
		}
		if s.SSML == "" {
			c.add(RuleSpeechType, at("ssml"), "SSML speech has no ssml")
			return
		}
		checkSSML(s.SSML, func(rule, msg string) { c.add(rule, at("ssml"), msg) })
		c.speechLength(s.SSML, path, "ssml")
	case "":
		c.add(RuleSpeechType, at("type"), "outputSpeech has no type: want PlainText or SSML")
	default:
		c.add(RuleSpeechType, at("type"), fmt.Sprintf("outputSpeech type %q: want PlainText or SSML", s.Type))
	}
}

func (c *checker) speechLength(s, path, field string) {
	if len(s) <= MaxSpeechChars {
		return // fewer bytes than the limit means fewer characters too
	}
	if n := utf8.RuneCountInString(s); n > MaxSpeechChars {
		c.add(RuleSpeechLength, path+"."+field, fmt.Sprintf("speech is %d characters, more than %d", n, MaxSpeechChars))
	}
}

func (c *checker) card(raw []byte, card *Card) {
	const p = "response.card"
	misplaced := func(field string, present bool, belongs string) {
		if present {
			c.add(RuleCardFields, p+"."+field, fmt.Sprintf("a %s card has no %s (%s cards do)", card.Type, field, belongs))
		}
	}
	switch card.Type {
	case "Simple":
		misplaced("text", card.Text != "", "Standard")
		misplaced("image", card.Image != nil, "Standard")
		misplaced("permissions", card.Permissions != nil, "AskForPermissionsConsent")
	case "Standard":
		misplaced("content", card.Content != "", "Simple")
		misplaced("permissions", card.Permissions != nil, "AskForPermissionsConsent")
		if img := card.Image; img != nil {
			if img.SmallImageURL == "" && img.LargeImageURL == "" {
				c.add(RuleCardFields, p+".image", "image has neither smallImageUrl nor largeImageUrl")
			}
			c.imageURL(img.SmallImageURL, p+".image.smallImageUrl")
			c.imageURL(img.LargeImageURL, p+".image.largeImageUrl")
		}
	case "LinkAccount":
		c.linkAccount(raw)
		return
	case "AskForPermissionsConsent":
		if len(card.Permissions) == 0 {
			c.add(RulePermissionsCard, p+".permissions", "an AskForPermissionsConsent card needs a non-empty permissions list")
		}
		for i, s := range card.Permissions {
			scope, isManifestName := alexa.ScopeOfManifestName(s)
			switch {
			case alexa.Known(s):
			case isManifestName:
				c.add(RulePermissionsCard, p+".permissions."+strconv.Itoa(i),
					fmt.Sprintf("%q is a skill-manifest permission name; the card needs the runtime scope %q", s, scope))
			default:
				c.add(RulePermissionsCard, p+".permissions."+strconv.Itoa(i), fmt.Sprintf("unknown permission scope %q", s))
			}
		}
		return
	case "":
		c.add(RuleCardType, p+".type", "card has no type: want Simple, Standard, LinkAccount or AskForPermissionsConsent")
		return
	default:
		c.add(RuleCardType, p+".type", fmt.Sprintf("card type %q: want Simple, Standard, LinkAccount or AskForPermissionsConsent", card.Type))
		return
	}
	n := utf8.RuneCountInString(card.Title) + utf8.RuneCountInString(card.Content) + utf8.RuneCountInString(card.Text)
	if card.Image != nil {
		n += len(card.Image.SmallImageURL) + len(card.Image.LargeImageURL)
	}
	if n > MaxCardChars {
		c.add(RuleCardFields, p, fmt.Sprintf("card text is %d characters, more than %d", n, MaxCardChars))
	}
}

func (c *checker) imageURL(u, path string) {
	if u == "" {
		return
	}
	if len(u) < 8 || !strings.EqualFold(u[:8], "https://") {
		c.add(RuleCardImageHTTPS, path, fmt.Sprintf("image URL %q is not https", u))
	}
	if len(u) > MaxImageURLChars {
		c.add(RuleCardFields, path, fmt.Sprintf("image URL is %d characters, more than %d", len(u), MaxImageURLChars))
	}
}

// linkAccount looks at the raw card, as any key besides type, even an empty
// one, breaks the rule. Only LinkAccount answers pay for this second decode.
func (c *checker) linkAccount(raw []byte) {
	var d struct {
		Response struct {
			Card map[string]json.RawMessage `json:"card"`
		} `json:"response"`
	}
	_ = json.Unmarshal(raw, &d)
	var extra []string
	for k := range d.Response.Card {
		if k != "type" {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		c.add(RuleLinkAccountFields, "response.card", "a LinkAccount card has no field but type; found "+strings.Join(extra, ", "))
	}
}

func (c *checker) directives(ds []Directive, path string) {
	for i, d := range ds {
		switch {
		case d.Type == "":
			c.add(RuleDirectiveType, path+"."+strconv.Itoa(i)+".type", "directive has no type")
		case !knownDirectives[d.Type]:
			c.add(RuleDirectiveType, path+"."+strconv.Itoa(i)+".type", fmt.Sprintf("unknown directive type %q", d.Type))
		}
	}
}
