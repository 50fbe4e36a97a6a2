package report

import (
	"bufio"
	"strconv"
	"time"
	"unicode/utf8"
)

// The scenarios of the HTML report are the bulk of it, a few kilobytes of
// JSON and text each, and writing them with html/template cost a tenth of
// a run (BenchmarkHTMLReportOverhead): its escapers are called through
// reflection for every value. They are written here instead, by hand, with
// one rule: every value that is not a constant of this file passes through
// esc, which escapes for HTML text and for quoted attribute values alike.
// TestHTML_EscapesEverything feeds hostile text into every field and parses
// the result.

// esc writes s escaped for HTML text or a double-quoted attribute: & < > "
// and ' become references, NUL and invalid UTF-8 become U+FFFD.
func esc(w *bufio.Writer, s string) { escape(w, s) }

func escBytes(w *bufio.Writer, b []byte) { escape(w, b) }

func escape[T string | []byte](w *bufio.Writer, s T) {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var rep string
		switch {
		case c >= utf8.RuneSelf:
			if r, size := decode(s[i:]); r != utf8.RuneError || size > 1 {
				i += size
				continue
			}
			rep = "\uFFFD"
		case c == '&':
			rep = "&amp;"
		case c == '<':
			rep = "&lt;"
		case c == '>':
			rep = "&gt;"
		case c == '"':
			rep = "&#34;"
		case c == '\'':
			rep = "&#39;"
		case c == 0:
			rep = "\uFFFD"
		default:
			i++
			continue
		}
		put(w, s[last:i])
		w.WriteString(rep)
		i++
		last = i
	}
	put(w, s[last:])
}

func decode[T string | []byte](s T) (rune, int) {
	switch v := any(s).(type) {
	case string:
		return utf8.DecodeRuneInString(v)
	case []byte:
		return utf8.DecodeRune(v)
	}
	return utf8.RuneError, 1
}

func put[T string | []byte](w *bufio.Writer, s T) {
	switch v := any(s).(type) {
	case string:
		w.WriteString(v)
	case []byte:
		w.Write(v)
	}
}

// tag writes a constant piece of markup.
func tag(w *bufio.Writer, s string) { w.WriteString(s) }

func writeMillis(w *bufio.Writer, d time.Duration) { esc(w, Millis(d)) }

func writeLatency(w *bufio.Writer, d time.Duration) {
	tag(w, `<span class="latency`)
	if d >= SlowTurn {
		tag(w, ` slow`)
	}
	tag(w, `">`)
	esc(w, LatencyText(d))
	tag(w, `</span>`)
}

// writeScenario writes one scenario: a <details> folded unless it failed.
func writeScenario(w *bufio.Writer, s *Scenario, id string) {
	st := s.Status()
	tag(w, "\n<details class=\"scenario ")
	esc(w, string(st))
	tag(w, `" id="`)
	esc(w, id)
	tag(w, `" data-status="`)
	esc(w, string(st))
	tag(w, `"`)
	if st == Failed {
		tag(w, ` open`)
	}
	tag(w, ">\n<summary class=\"")
	esc(w, string(st))
	tag(w, `"><span class="mark" title="`)
	esc(w, string(st))
	tag(w, `">`)
	esc(w, mark(st))
	tag(w, `</span> `)
	esc(w, s.Keyword)
	tag(w, `: `)
	esc(w, s.Title())
	tag(w, ` <span class="loc">`)
	esc(w, s.Location())
	tag(w, `</span> <span class="dur">`)
	writeMillis(w, s.Duration)
	tag(w, "</span></summary>\n")
	if len(s.Tags) > 0 {
		tag(w, `<p class="meta">`)
		for i, t := range s.Tags {
			if i > 0 {
				tag(w, " ")
			}
			esc(w, t.Name)
		}
		tag(w, "</p>\n")
	}
	tag(w, `<ol class="steps">`)
	for _, step := range s.Steps {
		writeStep(w, step)
	}
	tag(w, "\n</ol>")
	if c := s.Conversation(); c != nil {
		writeConversation(w, c)
	} else if f := s.FailedStep(); f != nil && f.Failure != nil && f.Failure.Transcript != "" {
		tag(w, "\n<pre class=\"transcript\">")
		esc(w, f.Failure.Transcript)
		tag(w, "</pre>")
	}
	tag(w, "\n</details>")
}

func writeStep(w *bufio.Writer, st *Step) {
	tag(w, "\n<li class=\"step ")
	esc(w, string(st.Status))
	tag(w, `"><span class="mark" title="`)
	esc(w, string(st.Status))
	tag(w, `">`)
	esc(w, mark(st.Status))
	tag(w, `</span> <span class="kw">`)
	esc(w, st.Keyword)
	tag(w, `</span>`)
	esc(w, st.Text)
	if st.Status != Skipped {
		tag(w, ` <span class="dur">`)
		writeMillis(w, st.Duration)
		tag(w, `</span>`)
	}
	for _, d := range st.Latencies {
		tag(w, ` `)
		writeLatency(w, d)
	}
	if len(st.Table) > 0 {
		tag(w, `<table>`)
		for _, row := range st.Table {
			tag(w, `<tr>`)
			for _, c := range row {
				tag(w, `<td>`)
				esc(w, c)
				tag(w, `</td>`)
			}
			tag(w, `</tr>`)
		}
		tag(w, `</table>`)
	}
	if st.DocString != "" {
		tag(w, `<pre>`)
		esc(w, st.DocString)
		tag(w, `</pre>`)
	}
	for _, v := range st.Warnings {
		tag(w, `<div class="warning">⚠ warning: `)
		esc(w, v.String())
		tag(w, `</div>`)
	}
	if f := st.Failure; f != nil {
		tag(w, "\n<div class=\"failure\">\n<dl>")
		field := func(name, class, value string) {
			if value == "" {
				return
			}
			tag(w, `<dt>`)
			tag(w, name)
			tag(w, `</dt><dd class="`)
			tag(w, class)
			tag(w, `">`)
			esc(w, value)
			tag(w, `</dd>`)
		}
		field("Expected", "expected", f.Expected)
		field("Got", "got", f.Got)
		field("Path", "path", f.Path)
		field("Rule", "rule", f.Rule)
		tag(w, "</dl>")
		if f.Expected == "" {
			tag(w, `<pre class="message">`)
			esc(w, f.Message)
			tag(w, `</pre>`)
		}
		tag(w, "\n</div>")
	}
	tag(w, "</li>")
}

func writeConversation(w *bufio.Writer, c *Conversation) {
	tag(w, "\n<div class=\"conversation\">\n<h3>Conversation <small>consent ")
	esc(w, c.Consent)
	tag(w, ` · user …`)
	esc(w, c.User)
	if c.Locale != "" {
		tag(w, ` · `)
		esc(w, c.Locale)
	}
	if c.Device != "" {
		tag(w, ` · `)
		esc(w, c.Device)
	}
	tag(w, "</small></h3>\n<ol class=\"turns\">")
	for i := range c.Turns {
		writeTurn(w, &c.Turns[i])
	}
	tag(w, "\n</ol>\n<p class=\"meta\">Session: ")
	if c.SessionOpen {
		tag(w, "open")
	} else {
		tag(w, "closed")
	}
	tag(w, "</p>\n</div>")
}

func writeTurn(w *bufio.Writer, t *Turn) {
	tag(w, "\n<li class=\"turn\">\n<div class=\"user\">User ")
	esc(w, t.Said)
	tag(w, `</div>`)
	if t.Heard != "" {
		tag(w, "\n<div class=\"heard\">Heard: ")
		esc(w, t.Heard)
		if len(t.Slots) > 0 {
			tag(w, " ")
			esc(w, SlotsText(t.Slots))
		}
		tag(w, `</div>`)
	}
	if len(t.Requests) > 0 || t.Speech != "" || t.Error == "" {
		tag(w, "\n<div class=\"alexa\">")
		if t.DialogModel {
			tag(w, "Alexa (dialog model): ")
		} else {
			tag(w, "Alexa: ")
		}
		if t.Speech != "" {
			tag(w, `<q>`)
			esc(w, t.Speech)
			tag(w, `</q>`)
		} else {
			tag(w, `<i>says nothing</i>`)
		}
		if len(t.Requests) > 0 {
			tag(w, " ")
			writeLatency(w, t.Latency)
		}
		tag(w, `</div>`)
	}
	tag(w, "\n<ul class=\"facts\">")
	if t.Reprompt != "" {
		tag(w, `<li>Reprompt: <q>`)
		esc(w, t.Reprompt)
		tag(w, `</q></li>`)
	}
	if c := t.Card; c != nil {
		tag(w, `<li>Card: `)
		esc(w, c.Type)
		if c.Title != "" {
			tag(w, ` “`)
			esc(w, c.Title)
			tag(w, `”`)
		}
		if c.Text != "" {
			tag(w, `: `)
			esc(w, c.Text)
		}
		tag(w, `</li>`)
	}
	if len(t.Directives) > 0 {
		tag(w, `<li>Directives: `)
		for i, d := range t.Directives {
			if i > 0 {
				tag(w, ", ")
			}
			esc(w, d)
		}
		tag(w, `</li>`)
	}
	if t.ShouldEndSession != nil {
		tag(w, `<li>shouldEndSession `)
		tag(w, strconv.FormatBool(*t.ShouldEndSession))
		tag(w, `</li>`)
	}
	if t.Dialog != "" {
		tag(w, `<li>Alexa is `)
		esc(w, t.Dialog)
		tag(w, `</li>`)
	}
	if t.Error != "" {
		tag(w, `<li class="violation">No usable answer: `)
		esc(w, t.Error)
		tag(w, `</li>`)
	}
	for _, v := range t.Violations {
		tag(w, `<li class="violation">Violation: `)
		esc(w, v.String())
		tag(w, `</li>`)
	}
	for _, v := range t.Warnings {
		tag(w, `<li class="warning">Warning: `)
		esc(w, v.String())
		tag(w, `</li>`)
	}
	tag(w, "</ul>")
	if len(t.APICalls)+len(t.OAuthCalls) > 0 {
		tag(w, "\n<ul class=\"calls\">")
		for _, c := range t.APICalls {
			writeCall(w, "Alexa API: ", c)
		}
		for _, c := range t.OAuthCalls {
			writeCall(w, "OAuth: ", c)
		}
		tag(w, "</ul>")
	}
	for j := range t.Requests {
		e := &t.Requests[j]
		n := strconv.Itoa(j + 1)
		tag(w, "\n<details class=\"json\"><summary>Request ")
		tag(w, n)
		tag(w, ": ")
		esc(w, e.Summary())
		tag(w, `</summary><pre class="json">`)
		escBytes(w, e.Request)
		tag(w, "</pre></details>\n<details class=\"json\"><summary>Answer ")
		tag(w, n)
		tag(w, ": HTTP ")
		tag(w, strconv.Itoa(e.Status))
		tag(w, ", ")
		writeMillis(w, e.Latency)
		tag(w, `</summary><pre class="json">`)
		escBytes(w, e.Response)
		tag(w, "</pre></details>")
	}
	tag(w, "\n</li>")
}

func writeCall(w *bufio.Writer, who string, c Call) {
	tag(w, `<li>`)
	tag(w, who)
	esc(w, c.Method)
	tag(w, " ")
	esc(w, c.Path)
	tag(w, ` → <b>`)
	tag(w, strconv.Itoa(c.Status))
	tag(w, `</b>`)
	if c.Note != "" {
		tag(w, ` (`)
		esc(w, c.Note)
		tag(w, `)`)
	}
	tag(w, `</li>`)
}
