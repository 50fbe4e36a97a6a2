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
	// message is what the page tells a person (pageMessage).
	message string
}

// Bounds on what a report shows of a page.
const (
	maxMessage  = 512
	maxPageText = 512
)

// pageWords returns what a person reads on an HTML page: its message (see
// pageMessage) and its visible text, whitespace collapsed. The body is
// whatever the linker read, at most maxBody; a report redacts the words,
// then cuts them to maxMessage and maxPageText.
func pageWords(body string) (message, text string) {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return "", ""
	}
	var words []string
	for n := range visible(doc) {
		if n.Type == html.TextNode {
			words = append(words, strings.Fields(n.Data)...)
		}
	}
	return pageMessage(doc), strings.Join(words, " ")
}

// pageMessage is what a page tells a person, as a report quotes it: its
// visible error message when it shows one, else its first heading, else
// its title. Servers mark their errors in many ways, so an element counts
// as one by its role (alert), or by a class or id that says so: Cognito's
// errorMessage-customizable, Keycloak's input-error, Bootstrap's
// alert-danger, Django's errorlist, asksim's own fake's class="error".
func pageMessage(doc *html.Node) string {
	var alert, heading, title string
	for n := range visible(doc) {
		if n.Type != html.ElementNode {
			continue
		}
		switch {
		case alert == "" && showsError(n):
			alert = visibleText(n)
		case n.DataAtom == atom.Title:
			if title == "" {
				title = visibleText(n)
			}
		case n.DataAtom == atom.H1 || n.DataAtom == atom.H2:
			if heading == "" {
				heading = visibleText(n)
			}
		}
	}
	return firstNonEmpty(alert, heading, title)
}

// showsError reports whether an element is marked as an error message.
func showsError(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Html, atom.Head, atom.Body, atom.Form, atom.Input, atom.Title:
		return false
	}
	if role, _ := attr(n, "role"); strings.EqualFold(strings.TrimSpace(role), "alert") {
		return true
	}
	id, _ := attr(n, "id")
	class, _ := attr(n, "class")
	for _, w := range append(strings.Fields(strings.ToLower(class)), strings.ToLower(id)) {
		if w == "alert" || strings.Contains(w, "error") || strings.Contains(w, "danger") || strings.HasPrefix(w, "invalid") {
			return true
		}
	}
	return false
}

// visible yields the nodes of the tree under n that a browser shows, in
// tree order: no scripts, styles or templates, nothing hidden by the
// hidden attribute, aria-hidden or an inline display:none.
func visible(n *html.Node) func(yield func(*html.Node) bool) {
	return func(yield func(*html.Node) bool) {
		var walk func(n *html.Node) bool
		walk = func(n *html.Node) bool {
			if n.Type == html.ElementNode && hidden(n) {
				return true
			}
			if !yield(n) {
				return false
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if !walk(c) {
					return false
				}
			}
			return true
		}
		walk(n)
	}
}

func hidden(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Template, atom.Noscript:
		return true
	}
	if _, ok := attr(n, "hidden"); ok {
		return true
	}
	if v, _ := attr(n, "aria-hidden"); strings.EqualFold(strings.TrimSpace(v), "true") {
		return true
	}
	style, _ := attr(n, "style")
	style = strings.ToLower(strings.Join(strings.Fields(style), ""))
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

// visibleText is the text of n that a browser shows, whitespace collapsed.
func visibleText(n *html.Node) string {
	var words []string
	for d := range visible(n) {
		if d.Type == html.TextNode {
			words = append(words, strings.Fields(d.Data)...)
		}
	}
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
		}
	}
	page := &htmlPage{message: pageMessage(doc)}
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
