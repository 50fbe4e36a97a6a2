package report

import "io"

// HTML writes the self-contained HTML report.
type HTML struct{ w io.Writer }

// NewHTML returns the HTML formatter writing to w.
func NewHTML(w io.Writer) *HTML { return &HTML{w: w} }

func (f *HTML) Start(*Header) error      { return nil }
func (f *HTML) Scenario(*Scenario) error { return nil }
func (f *HTML) Finish(r *Run) error      { return nil }
