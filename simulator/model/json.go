package model

import "encoding/json"

// The JSON forms of a resolution and of a failed one, as `asksim resolve
// --json` prints them: field names are stable for scripts, and every list is
// present, empty rather than null.

type resolutionJSON struct {
	Utterance  string          `json:"utterance"`
	Match      bool            `json:"match"`
	Request    string          `json:"request"`
	NewSession bool            `json:"newSession"`
	Intent     string          `json:"intent,omitempty"`
	Sample     string          `json:"sample,omitempty"`
	Score      *scoreJSON      `json:"score,omitempty"`
	Slots      []slotMatchJSON `json:"slots"`
	Why        []string        `json:"why"`
}

type scoreJSON struct {
	Literal    int `json:"literal"`
	Recognized int `json:"recognized"`
	FreeWords  int `json:"freeWords"`
}

type slotMatchJSON struct {
	Name       string                `json:"name"`
	Type       string                `json:"type"`
	Value      string                `json:"value,omitempty"`
	Spoken     string                `json:"spoken,omitempty"`
	Recognized bool                  `json:"recognized"`
	Resolution *entityResolutionJSON `json:"resolution,omitempty"`
}

type entityResolutionJSON struct {
	Authority string              `json:"authority"`
	Status    string              `json:"status"`
	Values    []resolvedValueJSON `json:"values"`
}

type resolvedValueJSON struct {
	Name string `json:"name"`
	ID   string `json:"id"`
}

// MarshalJSON writes the resolution with "match": true, the request Alexa
// would send ("IntentRequest" or "LaunchRequest"), the score of an intent's
// sample, each slot with its entity resolution, and the reasons.
func (r *Resolution) MarshalJSON() ([]byte, error) {
	out := resolutionJSON{Utterance: r.Utterance, Match: true, Request: r.Kind.String(), NewSession: r.NewSession,
		Intent: r.Intent, Sample: r.Sample, Slots: []slotMatchJSON{}, Why: nonNil(r.Why)}
	if r.Kind == KindIntent {
		out.Score = &scoreJSON{r.Score.Literal, r.Score.Recognized, r.Score.FreeWords}
	}
	for _, s := range r.Slots {
		sj := slotMatchJSON{Name: s.Name, Type: s.Type, Value: s.Value, Spoken: s.Spoken, Recognized: s.Recognized}
		if er := s.Resolved; er != nil {
			sj.Resolution = &entityResolutionJSON{Authority: er.Authority, Status: er.Status, Values: []resolvedValueJSON{}}
			for _, v := range er.Values {
				sj.Resolution.Values = append(sj.Resolution.Values, resolvedValueJSON{v.Name, v.ID})
			}
		}
		out.Slots = append(out.Slots, sj)
	}
	return json.Marshal(out)
}

// MarshalJSON writes the failure as a resolution with "match": false and
// the closest samples.
func (e *NoMatchError) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Utterance string   `json:"utterance"`
		Match     bool     `json:"match"`
		Closest   []string `json:"closest"`
	}{e.Utterance, false, nonNil(e.Closest)})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
