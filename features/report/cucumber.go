package report

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Cucumber writes Cucumber JSON at the end of the run, the format report
// viewers read. Each step that played turns carries their request and
// answer as application/json embeddings, and the scenario's last step run
// carries its conversation as text/plain, so viewers show the transcript.
type Cucumber struct{ w io.Writer }

// NewCucumber returns the Cucumber JSON formatter writing to w.
func NewCucumber(w io.Writer) *Cucumber { return &Cucumber{w: w} }

func (f *Cucumber) Start(*Header) error      { return nil }
func (f *Cucumber) Scenario(*Scenario) error { return nil }

type cukeFeature struct {
	URI         string        `json:"uri"`
	ID          string        `json:"id"`
	Keyword     string        `json:"keyword"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Line        int           `json:"line"`
	Tags        []cukeTag     `json:"tags,omitempty"`
	Elements    []cukeElement `json:"elements"`
}

type cukeTag struct {
	Name string `json:"name"`
	Line int    `json:"line"`
}

type cukeElement struct {
	ID          string     `json:"id"`
	Keyword     string     `json:"keyword"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Line        int        `json:"line"`
	Type        string     `json:"type"`
	Tags        []cukeTag  `json:"tags,omitempty"`
	Steps       []cukeStep `json:"steps"`
}

type cukeStep struct {
	Keyword    string          `json:"keyword"`
	Name       string          `json:"name"`
	Line       int             `json:"line"`
	Rows       []cukeRow       `json:"rows,omitempty"`
	DocString  *cukeDocString  `json:"doc_string,omitempty"`
	Match      cukeMatch       `json:"match"`
	Result     cukeResult      `json:"result"`
	Embeddings []cukeEmbedding `json:"embeddings,omitempty"`
}

type cukeRow struct {
	Cells []string `json:"cells"`
}

type cukeDocString struct {
	Value string `json:"value"`
	Line  int    `json:"line"`
}

type cukeMatch struct {
	Location string `json:"location,omitempty"`
}

type cukeResult struct {
	Status   string `json:"status"`
	Duration int64  `json:"duration,omitempty"`
	Error    string `json:"error_message,omitempty"`
}

type cukeEmbedding struct {
	MimeType string `json:"mime_type"`
	// Data is base64, as Cucumber JSON has it: encoding/json writes a
	// []byte so.
	Data []byte `json:"data"`
	Name string `json:"name,omitempty"`
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

func slug(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func tagsOf(tags []Tag) []cukeTag {
	var out []cukeTag
	for _, t := range tags {
		out = append(out, cukeTag{Name: t.Name, Line: t.Line})
	}
	return out
}

func (f *Cucumber) Finish(r *Run) error {
	out := make([]cukeFeature, 0, len(r.Features))
	for _, feat := range r.Features {
		cf := cukeFeature{URI: feat.URI, ID: slug(feat.Name), Keyword: feat.Keyword, Name: feat.Name,
			Description: feat.Description, Line: feat.Line, Tags: tagsOf(feat.Tags), Elements: []cukeElement{}}
		for _, s := range feat.Scenarios {
			cf.Elements = append(cf.Elements, cucumberElement(cf.ID, s))
		}
		out = append(out, cf)
	}
	enc := json.NewEncoder(f.w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func cucumberElement(featureID string, s *Scenario) cukeElement {
	el := cukeElement{ID: featureID + ";" + slug(s.Name), Keyword: s.Keyword, Name: s.Title(), Description: s.Description,
		Line: s.Line, Type: "scenario", Tags: tagsOf(s.Tags), Steps: []cukeStep{}}
	if s.RowLine != 0 {
		el.ID += fmt.Sprintf(";;%d", s.RowLine)
		el.Line = s.RowLine
	}
	conv := s.Conversation()
	last := -1 // the last step that ran: it carries the transcript
	for i, st := range s.Steps {
		if st.Status != Skipped {
			last = i
		}
	}
	for i, st := range s.Steps {
		cs := cukeStep{Keyword: st.Keyword, Name: st.Text, Line: st.Line, Match: cukeMatch{Location: st.Definition},
			Result: cukeResult{Status: string(st.Status), Duration: st.Duration.Nanoseconds()}}
		for _, row := range st.Table {
			cs.Rows = append(cs.Rows, cukeRow{Cells: row})
		}
		if st.DocString != "" {
			cs.DocString = &cukeDocString{Value: st.DocString, Line: st.Line + 1}
		}
		if st.Failure != nil {
			cs.Result.Error = st.Failure.Message
		}
		if conv != nil {
			for _, ti := range st.Turns {
				if ti < 0 || ti >= len(conv.Turns) {
					continue
				}
				for j, e := range conv.Turns[ti].Requests {
					name := fmt.Sprintf("turn %d", ti+1)
					if len(conv.Turns[ti].Requests) > 1 {
						name += fmt.Sprintf(".%d", j+1)
					}
					cs.Embeddings = append(cs.Embeddings, cukeEmbedding{MimeType: "application/json", Data: e.Request, Name: name + " request: " + e.Summary()})
					if len(e.Response) > 0 {
						cs.Embeddings = append(cs.Embeddings, cukeEmbedding{MimeType: "application/json", Data: e.Response, Name: name + " answer"})
					}
				}
			}
			if i == last {
				cs.Embeddings = append(cs.Embeddings, cukeEmbedding{MimeType: "text/plain", Data: []byte(conv.Text()), Name: "conversation"})
			}
		} else if st.Failure != nil && st.Failure.Transcript != "" {
			cs.Embeddings = append(cs.Embeddings, cukeEmbedding{MimeType: "text/plain", Data: []byte(st.Failure.Transcript), Name: "conversation"})
		}
		el.Steps = append(el.Steps, cs)
	}
	return el
}
