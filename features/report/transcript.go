package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Text renders the conversation for people, as failures show it: each user
// turn, what Alexa heard, what went to the skill, what Alexa said with its
// reprompt, card and directives, the calls the skill made and the turn's
// latency, then the session's state.
func (c *Conversation) Text() string {
	var b strings.Builder
	c.WriteText(&b, "Conversation so far")
	return b.String()
}

// WriteText writes the conversation under title.
func (c *Conversation) WriteText(b *strings.Builder, title string) {
	fmt.Fprintf(b, "%s (consent %s, user …%s):", title, c.Consent, c.User)
	if len(c.Turns) == 0 {
		b.WriteString("\n  (nothing said yet)")
	}
	for i := range c.Turns {
		t := &c.Turns[i]
		fmt.Fprintf(b, "\n  %d. User: %s", i+1, t.Said)
		if t.Linking != "" {
			fmt.Fprintf(b, "\n     linked account: %s", t.Linking)
		}
		if t.Heard != "" {
			fmt.Fprintf(b, "\n     heard: %s", t.Heard)
			if s := SlotsText(t.Slots); s != "" {
				b.WriteString(" " + s)
			}
		}
		for _, e := range t.Requests {
			if t.Heard != "" || len(t.Requests) > 1 {
				fmt.Fprintf(b, "\n     sent: %s", e.Summary())
			}
		}
		for _, call := range t.APICalls {
			fmt.Fprintf(b, "\n     Alexa API: %s", call)
		}
		for _, call := range t.OAuthCalls {
			fmt.Fprintf(b, "\n     OAuth: %s", call)
		}
		if t.Dialog != "" {
			fmt.Fprintf(b, "\n     Alexa is %s", t.Dialog)
		}
		if t.Error != "" && len(t.Requests) == 0 {
			fmt.Fprintf(b, "\n     Alexa: (no answer: %s)", firstLine(t.Error))
			continue
		}
		who := "Alexa"
		if t.DialogModel {
			who = "Alexa (dialog model)"
		}
		speech := "(nothing)"
		if t.Speech != "" {
			speech = strconv.Quote(t.Speech)
		}
		fmt.Fprintf(b, "\n     %s: %s", who, speech)
		if notes := t.notes(); len(notes) > 0 {
			fmt.Fprintf(b, "\n            [%s]", strings.Join(notes, "; "))
		}
		if t.Error != "" {
			fmt.Fprintf(b, "\n            ! %s", firstLine(t.Error))
		}
		for _, v := range t.Violations {
			fmt.Fprintf(b, "\n            ! %s", v)
		}
		for _, v := range t.Warnings {
			fmt.Fprintf(b, "\n            warning: %s", v)
		}
	}
	if c.SessionOpen {
		b.WriteString("\n  Session: open")
	} else {
		b.WriteString("\n  Session: closed")
	}
}

// notes are the bracketed facts after Alexa's speech.
func (t *Turn) notes() []string {
	var notes []string
	if t.Reprompt != "" {
		notes = append(notes, "reprompt "+strconv.Quote(t.Reprompt))
	}
	if t.Card != nil {
		notes = append(notes, "card "+t.Card.Type)
	}
	if len(t.Directives) > 0 {
		notes = append(notes, "directives "+strings.Join(t.Directives, ", "))
	}
	if t.ShouldEndSession != nil {
		notes = append(notes, fmt.Sprintf("shouldEndSession %v", *t.ShouldEndSession))
	}
	if len(t.Requests) > 0 {
		notes = append(notes, LatencyText(t.Latency))
	}
	return notes
}

// LatencyText is a turn's latency, with a warning once it nears Alexa's
// 8 s limit: "12 ms", "6.40 s ⚠ near Alexa's 8 s limit".
func LatencyText(d time.Duration) string {
	s := Millis(d)
	if d >= SlowTurn {
		s += " ⚠ near Alexa's 8 s limit"
	}
	return s
}

// SlotsText is the slots heard: item="coffee" quantity="2" (→ resolved).
func SlotsText(slots []Slot) string {
	var parts []string
	for _, s := range slots {
		p := s.Name + "=" + strconv.Quote(s.Value)
		if s.Resolved != "" && s.Resolved != s.Value {
			p += " → " + strconv.Quote(s.Resolved)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
