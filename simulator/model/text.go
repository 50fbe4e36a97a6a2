package model

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the resolution for a person, as `asksim resolve` prints
// it: what Alexa would send, the slots in a table, then the reasons.
func (r *Resolution) WriteText(w io.Writer) error {
	var b strings.Builder
	session := "in the open session, or a new one when none is open"
	if r.NewSession {
		session = "in a new session"
	}
	fmt.Fprintf(&b, "utterance: %q\n", r.Utterance)
	if r.Kind == KindLaunch {
		fmt.Fprintf(&b, "request:   LaunchRequest %s\n", session)
	} else {
		fmt.Fprintf(&b, "request:   IntentRequest %s\nintent:    %s\n", session, r.Intent)
		if r.Sample != "" {
			fmt.Fprintf(&b, "sample:    %q\n", r.Sample)
		}
		fmt.Fprintf(&b, "score:     %s\n", r.Score)
	}
	if len(r.Slots) > 0 {
		b.WriteString("slots:\n")
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, s := range r.Slots {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", s.Name, s.Type, s.summary())
		}
		_ = tw.Flush() // writes to a strings.Builder
	}
	if len(r.Why) > 0 {
		b.WriteString("why:\n")
		for _, line := range r.Why {
			fmt.Fprintf(&b, "  - %s\n", line)
		}
	}
	b.WriteString(MatchingNote + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// MatchingNote says how Resolve decides, for people reading its results:
// by the model's samples, not by Alexa's statistical language model.
const MatchingNote = "matching:  by sample: the words must fit a sample utterance of the model (case, punctuation and contractions aside); " +
	"Alexa's language model also takes phrasings no sample covers, so check those on a device"

// summary says how the slot was filled: its value, the words heard when
// they differ, and its entity resolution or that the type does not know it.
func (s SlotMatch) summary() string {
	if !s.Filled() {
		return "(not filled)"
	}
	out := fmt.Sprintf("%q", s.Value)
	if s.Spoken != s.Value {
		out += fmt.Sprintf(" (heard %q)", s.Spoken)
	}
	if er := s.Resolved; er != nil {
		out += "  " + er.Status
		for _, v := range er.Values {
			out += fmt.Sprintf(" %s (id %s)", v.Name, v.ID)
		}
	} else if !s.Recognized {
		out += "  (not a known value of the type)"
	}
	return out
}
