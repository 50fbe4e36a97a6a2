package link

import (
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlForm is a form as a browser would submit it with its default button
// (implicit submission, the Enter key): the HTML standard's "constructing
// the entry list", minus file uploads.
type htmlForm struct {
	method  string // GET or POST
	action  *url.URL
	enctype string
	fields  []formField // in tree order, the default button included
	hasPass bool        // has an <input type=password>
}

type formField struct{ name, value string }

// names lists the form's field names once each, in order, for error messages.
func (f *htmlForm) names() []string {
	var out []string
	for _, fl := range f.fields {
		if !slices.Contains(out, fl.name) {
			out = append(out, fl.name)
		}
	}
	return out
}

func (f *htmlForm) has(name string) bool {
	return slices.ContainsFunc(f.fields, func(fl formField) bool { return fl.name == name })
}

// set replaces the value of every field called name.
func (f *htmlForm) set(name, value string) {
	for i := range f.fields {
		if f.fields[i].name == name {
			f.fields[i].value = value
		}
	}
}

func (f *htmlForm) values() url.Values {
	v := url.Values{}
	for _, fl := range f.fields {
		v.Add(fl.name, fl.value)
	}
	return v
}

// htmlPage is a parsed login page.
type htmlPage struct {
	forms []*htmlForm
	// message is what the page tells a person: an inline error (role=alert
	// or class "error") when there is one, else the first heading or title.
	message string
}

// pageText is the text a person reads on an HTML page, whitespace
// collapsed, without its scripts and styles: what a report shows of a page
// instead of its markup.
func pageText(body string) string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return ""
	}
	var words []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Head && n.FirstChild == nil) {
			return
		}
		if n.Type == html.TextNode {
			words = append(words, strings.Fields(n.Data)...)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return strings.Join(words, " ")
}

// parseLoginPage parses an HTML page fetched from pageURL.
func parseLoginPage(body string, pageURL *url.URL) (*htmlPage, error) {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	base := pageURL
	var formNodes []*html.Node
	byID := map[string]*html.Node{}
	var alert, heading, title string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Base:
			if h, ok := attr(n, "href"); ok && base == pageURL {
				if u, err := pageURL.Parse(strings.TrimSpace(h)); err == nil {
					base = u
				}
			}
		case atom.Form:
			formNodes = append(formNodes, n)
			if id, ok := attr(n, "id"); ok {
				byID[id] = n
			}
		case atom.Title:
			if title == "" {
				title = textOf(n)
			}
		case atom.H1, atom.H2:
			if heading == "" {
				heading = textOf(n)
			}
		}
		role, _ := attr(n, "role")
		class, _ := attr(n, "class")
		if alert == "" && (role == "alert" || slices.Contains(strings.Fields(class), "error")) {
			alert = textOf(n)
		}
	}
	page := &htmlPage{message: firstNonEmpty(alert, heading, title)}
	forms := map[*html.Node]*htmlForm{}
	for _, fn := range formNodes {
		f := &htmlForm{method: "GET", enctype: "application/x-www-form-urlencoded"}
		if m, _ := attr(fn, "method"); strings.EqualFold(m, "post") {
			f.method = "POST"
		}
		if e, _ := attr(fn, "enctype"); strings.EqualFold(e, "multipart/form-data") {
			f.enctype = "multipart/form-data"
		}
		f.action = pageURL // an empty action submits to the document's own URL
		if a, ok := attr(fn, "action"); ok && strings.TrimSpace(a) != "" {
			u, err := base.Parse(strings.TrimSpace(a))
			if err != nil {
				return nil, err
			}
			f.action = u
		}
		forms[fn] = f
		page.forms = append(page.forms, f)
	}
	// Controls belong to their form="id" form, else to the nearest
	// enclosing form; the first submit button of a form is its default.
	submitted := map[*htmlForm]bool{}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || !isControl(n) {
			continue
		}
		var f *htmlForm
		if id, ok := attr(n, "form"); ok {
			f = forms[byID[id]]
		} else {
			for p := n.Parent; p != nil && f == nil; p = p.Parent {
				if p.Type == html.ElementNode && p.DataAtom == atom.Form {
					f = forms[p]
				}
			}
		}
		if f == nil {
			continue
		}
		if _, disabled := attr(n, "disabled"); disabled {
			continue
		}
		typ := controlType(n)
		if typ == "password" {
			f.hasPass = true
		}
		name, _ := attr(n, "name")
		if isSubmitButton(n, typ) {
			if submitted[f] {
				continue
			}
			submitted[f] = true
			if name == "" {
				continue
			}
			if typ == "image" {
				f.fields = append(f.fields, formField{name + ".x", "0"}, formField{name + ".y", "0"})
				continue
			}
			v, _ := attr(n, "value")
			f.fields = append(f.fields, formField{name, v})
			continue
		}
		if name == "" {
			continue
		}
		switch {
		case n.DataAtom == atom.Button, typ == "reset" || typ == "button" || typ == "file":
			continue
		case typ == "checkbox" || typ == "radio":
			if _, checked := attr(n, "checked"); !checked {
				continue
			}
			v, ok := attr(n, "value")
			if !ok {
				v = "on"
			}
			f.fields = append(f.fields, formField{name, v})
		case n.DataAtom == atom.Select:
			for _, v := range selectedOptions(n) {
				f.fields = append(f.fields, formField{name, v})
			}
		case n.DataAtom == atom.Textarea:
			f.fields = append(f.fields, formField{name, rawText(n)})
		default:
			v, _ := attr(n, "value")
			f.fields = append(f.fields, formField{name, v})
		}
	}
	return page, nil
}

// loginForm picks the form a person would log in with: the first one with
// a password input or the configured password field, else the first one.
func (p *htmlPage) loginForm(passwordField string) *htmlForm {
	for _, f := range p.forms {
		if f.hasPass || f.has(passwordField) {
			return f
		}
	}
	if len(p.forms) > 0 {
		return p.forms[0]
	}
	return nil
}

func isControl(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Input, atom.Button, atom.Select, atom.Textarea:
		return true
	}
	return false
}

func controlType(n *html.Node) string {
	t, _ := attr(n, "type")
	t = strings.ToLower(strings.TrimSpace(t))
	if n.DataAtom == atom.Button && t == "" {
		return "submit"
	}
	if n.DataAtom == atom.Input && t == "" {
		return "text"
	}
	return t
}

func isSubmitButton(n *html.Node, typ string) bool {
	switch n.DataAtom {
	case atom.Button:
		return typ == "submit"
	case atom.Input:
		return typ == "submit" || typ == "image"
	}
	return false
}

func selectedOptions(sel *html.Node) []string {
	_, multiple := attr(sel, "multiple")
	var all, chosen []string
	for n := range sel.Descendants() {
		if n.Type != html.ElementNode || n.DataAtom != atom.Option {
			continue
		}
		if _, disabled := attr(n, "disabled"); disabled {
			continue
		}
		v, ok := attr(n, "value")
		if !ok {
			v = strings.Join(strings.Fields(textOf(n)), " ")
		}
		all = append(all, v)
		if _, sel := attr(n, "selected"); sel {
			chosen = append(chosen, v)
		}
	}
	if len(chosen) == 0 && !multiple && len(all) > 0 {
		return all[:1]
	}
	if !multiple && len(chosen) > 1 {
		return chosen[len(chosen)-1:]
	}
	return chosen
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// textOf is n's text with whitespace collapsed, as a person reads it.
func textOf(n *html.Node) string { return strings.Join(strings.Fields(rawText(n)), " ") }

func rawText(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
