package simulator

import (
	"encoding/json"
	"html"
	"strconv"
	"strings"
)

// ResponseEnvelope is a skill's answer (docs/alexa-contract.md §6.1).
type ResponseEnvelope struct {
	Version string `json:"version"`
	// SessionAttributes are kept as the skill's bytes; Alexa sends them back
	// unchanged as the next request's session.attributes.
	SessionAttributes json.RawMessage `json:"sessionAttributes,omitempty"`
	// UserAgent is added by the SDKs; Alexa ignores it.
	UserAgent string       `json:"userAgent,omitempty"`
	Response  ResponseBody `json:"response"`
}

// ResponseBody is the response object.
type ResponseBody struct {
	OutputSpeech *OutputSpeech `json:"outputSpeech,omitempty"`
	Reprompt     *Reprompt     `json:"reprompt,omitempty"`
	Card         *Card         `json:"card,omitempty"`
	Directives   []Directive   `json:"directives,omitempty"`
	// ShouldEndSession is nil when absent, which is not false (§6.2).
	ShouldEndSession *bool             `json:"shouldEndSession,omitempty"`
	CanFulfillIntent *CanFulfillIntent `json:"canFulfillIntent,omitempty"`
}

// OutputSpeech is PlainText{text} or SSML{ssml}.
type OutputSpeech struct {
	Type         string `json:"type"`
	Text         string `json:"text,omitempty"`
	SSML         string `json:"ssml,omitempty"`
	PlayBehavior string `json:"playBehavior,omitempty"`
}

// Reprompt is what Alexa says when the user does not answer.
type Reprompt struct {
	OutputSpeech *OutputSpeech `json:"outputSpeech,omitempty"`
	Directives   []Directive   `json:"directives,omitempty"`
}

// Card is a home card in the Alexa app.
type Card struct {
	Type        string     `json:"type"`
	Title       string     `json:"title,omitempty"`
	Content     string     `json:"content,omitempty"`
	Text        string     `json:"text,omitempty"`
	Image       *CardImage `json:"image,omitempty"`
	Permissions []string   `json:"permissions,omitempty"`
}

// CardImage is a Standard card's image.
type CardImage struct {
	SmallImageURL string `json:"smallImageUrl,omitempty"`
	LargeImageURL string `json:"largeImageUrl,omitempty"`
}

// Directive is one entry of response.directives: its type, and the whole
// object as the skill sent it.
type Directive struct {
	Type string
	Raw  json.RawMessage
}

// UnmarshalJSON keeps the raw object and reads its type.
func (d *Directive) UnmarshalJSON(b []byte) error {
	var t struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	d.Type = t.Type
	d.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// MarshalJSON writes the raw object.
func (d Directive) MarshalJSON() ([]byte, error) {
	if len(d.Raw) == 0 {
		return json.Marshal(struct {
			Type string `json:"type"`
		}{d.Type})
	}
	return d.Raw, nil
}

// CanFulfillIntent is the answer to a CanFulfillIntentRequest (§2.6).
type CanFulfillIntent struct {
	CanFulfill string                          `json:"canFulfill"`
	Slots      map[string]CanFulfillIntentSlot `json:"slots,omitempty"`
}

// CanFulfillIntentSlot is one slot's answer in CanFulfillIntent.
type CanFulfillIntentSlot struct {
	CanUnderstand string `json:"canUnderstand"`
	CanFulfill    string `json:"canFulfill"`
}

// Speech returns what the response says, as text: SSML tags dropped,
// entities unescaped, whitespace collapsed. "" when it says nothing.
func (r *ResponseEnvelope) Speech() string {
	if r == nil {
		return ""
	}
	return r.Response.OutputSpeech.Plain()
}

// RepromptSpeech returns the reprompt's speech as Speech does.
func (r *ResponseEnvelope) RepromptSpeech() string {
	if r == nil || r.Response.Reprompt == nil {
		return ""
	}
	return r.Response.Reprompt.OutputSpeech.Plain()
}

// ShouldEndSession reports response.shouldEndSession and whether it was
// present.
func (r *ResponseEnvelope) ShouldEndSession() (end, present bool) {
	if r == nil || r.Response.ShouldEndSession == nil {
		return false, false
	}
	return *r.Response.ShouldEndSession, true
}

// DirectiveTypes lists the types of response.directives in order.
func (r *ResponseEnvelope) DirectiveTypes() []string {
	if r == nil {
		return nil
	}
	types := make([]string, len(r.Response.Directives))
	for i, d := range r.Response.Directives {
		types[i] = d.Type
	}
	return types
}

// Plain returns the speech as text, whichever its type.
func (s *OutputSpeech) Plain() string {
	if s == nil {
		return ""
	}
	if s.Type == "SSML" || s.Text == "" && s.SSML != "" {
		return SSMLText(s.SSML)
	}
	return collapseSpace(s.Text)
}

// breakingTags are the SSML tags that separate words when dropped.
var breakingTags = map[string]bool{"break": true, "p": true, "s": true, "speak": true, "audio": true}

// SSMLText returns the text of an SSML document as written: tags dropped
// (break, p, s and audio leave a space), entities unescaped, whitespace
// collapsed. A <sub> gives its written text, not its alias.
func SSMLText(ssml string) string {
	var b strings.Builder
	b.Grow(len(ssml))
	for i := 0; i < len(ssml); {
		c := ssml[i]
		if c != '<' {
			j := strings.IndexByte(ssml[i:], '<')
			if j < 0 {
				j = len(ssml) - i
			}
			b.WriteString(ssml[i : i+j])
			i += j
			continue
		}
		end := strings.IndexByte(ssml[i:], '>')
		if end < 0 { // not a tag: keep the text
			b.WriteString(ssml[i:])
			break
		}
		name := strings.TrimLeft(ssml[i+1:i+end], "/")
		if k := strings.IndexAny(name, " \t\r\n/"); k >= 0 {
			name = name[:k]
		}
		if breakingTags[name] {
			b.WriteByte(' ')
		}
		i += end + 1
	}
	return collapseSpace(html.UnescapeString(b.String()))
}

// collapseSpace trims s and turns each run of white space into one space.
func collapseSpace(s string) string {
	if !needsCollapse(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func needsCollapse(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			if prevSpace {
				return true
			}
			prevSpace = true
		case '\t', '\n', '\r', '\v', '\f':
			return true
		default:
			if s[i] >= 0x80 { // other Unicode spaces: leave to strings.Fields
				return true
			}
			prevSpace = false
		}
	}
	return prevSpace && len(s) > 0
}

// ValueAt returns the value at a dotted path of a JSON document, such as
// "response.card.type" or "response.directives.0.type" (array indexes are
// numbers). Numbers come back as float64, objects as map[string]any, arrays
// as []any. It reports false when the path does not exist or raw is not
// JSON. Keys that contain dots cannot be reached.
func ValueAt(raw []byte, path string) (any, bool) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, false
	}
	if path == "" {
		return v, true
	}
	for _, part := range strings.Split(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			next, ok := node[part]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false
			}
			v = node[i]
		default:
			return nil, false
		}
	}
	return v, true
}
