package link

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestParseLoginPageEntryList(t *testing.T) {
	page := `<html><head><base href="/auth/"><title>Log in</title></head><body>
<form id="other" action="https://elsewhere.test/search"><input name="q" value="x"></form>
<form id="login" method="POST" action="submit?step=2">
  <input type="hidden" name="_csrf" value="tok&amp;en">
  <input name="user">
  <input name="pass" type="password" value="prefilled">
  <input type="radio" name="mode" value="a">
  <input type="radio" name="mode" value="b" checked>
  <input type="checkbox" name="agree" checked>
  <select name="lang"><option value="en">English</option><option selected>Deutsch </option></select>
  <select name="tz"><option disabled>none</option><option>UTC</option><option>CET</option></select>
  <textarea name="note">hello
 world</textarea>
  <input type="file" name="upload">
  <input type="reset" name="r" value="reset">
  <button type="button" name="b" value="js">JS</button>
  <input type="image" name="go" src="go.png">
  <button name="action" value="second">Second</button>
  <fieldset><input name="dis" disabled value="no"></fieldset>
</form>
<input form="login" name="outside" value="yes">
<p role="alert">  Session   expired </p>
</body></html>`
	base, _ := url.Parse("https://auth.test/login?x=1")
	p, err := parseLoginPage(page, base)
	if err != nil {
		t.Fatal(err)
	}
	if p.message != "Session expired" {
		t.Errorf("message %q", p.message)
	}
	f := p.loginForm("password")
	if f == nil || f.method != "POST" || f.action.String() != "https://auth.test/auth/submit?step=2" || !f.hasPass {
		t.Fatalf("form %+v", f)
	}
	got := f.values().Encode()
	want := url.Values{"_csrf": {"tok&en"}, "user": {""}, "pass": {"prefilled"}, "mode": {"b"}, "agree": {"on"},
		"lang": {"Deutsch"}, "tz": {"UTC"}, "note": {"hello\n world"}, "go.x": {"0"}, "go.y": {"0"}, "outside": {"yes"}}.Encode()
	if got != want {
		t.Errorf("entries\n got %s\nwant %s", got, want)
	}
	if strings.Join(f.names(), ",") != "_csrf,user,pass,mode,agree,lang,tz,note,go.x,go.y,outside" {
		t.Errorf("names %v", f.names())
	}
	if other := p.forms[0]; other.method != "GET" || other.action.Host != "elsewhere.test" {
		t.Errorf("first form %+v", other)
	}
}

func TestParseLoginPageNoForm(t *testing.T) {
	base, _ := url.Parse("https://auth.test/")
	p, err := parseLoginPage("<h1>Oops</h1><p>nothing here", base)
	if err != nil || len(p.forms) != 0 || p.loginForm("password") != nil || p.message != "Oops" {
		t.Fatalf("%+v %v", p, err)
	}
}

// The message a login page shows after a failed login is found where real
// servers put it, visible, anywhere in the body: not only in the first
// 512 bytes that the evidence keeps of it, which a page's <head> fills.
func TestPageWords(t *testing.T) {
	longHead := "<html><head><title>Sign in</title><style>" + strings.Repeat("p{margin:0}\n", 20000) + "</style></head><body><h1>Welcome</h1>"
	cases := []struct{ name, page, want string }{
		{"role alert after 240 KB of CSS", longHead + `<form><p role="alert"> Wrong username
		  or password. </p></form>`, "Wrong username or password."},
		{"Cognito", `<title>Signin</title><h2>Sign in with your username and password</h2>
			<p id="loginErrorMessage" class="errorMessage-customizable">Incorrect username or password.</p>`, "Incorrect username or password."},
		{"Keycloak", `<h1 id="kc-page-title">Sign in to your account</h1>
			<span id="input-error" class="kc-feedback-text" aria-live="polite">Invalid username or password.</span>`, "Invalid username or password."},
		{"Bootstrap", `<h1>Log in</h1><div class="alert alert-danger">Bad credentials</div>`, "Bad credentials"},
		{"Django", `<h1>Log in</h1><ul class="errorlist nonfield"><li>Please enter a correct username and password.</li></ul>`, "Please enter a correct username and password."},
		{"a hidden error is not shown", `<h1>Log in</h1><p class="error" hidden>Wrong password</p>
			<div role="alert" style="display: none">Locked</div><div aria-hidden="true" class="error">x</div>
			<template><p class="error">Later</p></template>`, "Log in"},
		{"an empty error element", `<title>T</title><p class="error"></p><h2>Sign in</h2>`, "Sign in"},
		{"the title alone", `<title> Sign in · asksim </title>`, "Sign in · asksim"},
		{"an error's script is not text", `<p class="error">Denied<script>var x = 1;</script></p>`, "Denied"},
	}
	for _, c := range cases {
		msg, _ := pageWords(c.page)
		if msg != c.want {
			t.Errorf("%s: message %q, want %q", c.name, msg, c.want)
		}
	}
	_, text := pageWords(longHead + `<p>Sign in <b>below</b></p><div hidden>secret</div><script>x()</script>`)
	if text != "Sign in Welcome Sign in below" {
		t.Errorf("page text %q", text)
	}
}

// The evidence of a page is bounded, and redacted before it is cut, so
// that a secret at the cut does not show in part.
func TestEvidencePageBoundedAndRedacted(t *testing.T) {
	secret := "s3cr3t-authorization-code"
	body := `<title>x</title><p class="error">` + strings.Repeat("bad ", 200) + `</p><p>` + strings.Repeat("w", maxPageText-len("x bad")-5) + " " + secret + `</p>`
	red := newRedactor("password")
	red.secret(secret)
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}}
	er := red.response(resp, []byte(body))
	if want := strings.Repeat("bad ", 128)[:maxMessage] + "…"; er.Message != want {
		t.Errorf("message %q, want %q", er.Message, want)
	}
	if len(er.Text) > maxPageText+len("…") || !strings.HasSuffix(er.Text, "…") || strings.Contains(er.Text, "s3cr") {
		t.Errorf("page text %q", er.Text)
	}
	er = red.response(&http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}}, []byte(`{"a":1}`))
	if er.Message != "" || er.Text != "" {
		t.Errorf("a JSON body read as a page: %+v", er)
	}
}

// FuzzLoginPage: any page a server answers parses without a panic, and
// what a report quotes of it is one line of words.
func FuzzLoginPage(f *testing.F) {
	f.Add(`<title>Sign in</title><form method=post><input name=u><input type=password name=p></form><p role=alert>Wrong</p>`)
	f.Add(`<div class="error" style="display:none">x</div><template><p class=error>y`)
	f.Add("<h1>\x00\xff</h1><p id=loginErrorMessage>bad")
	base, _ := url.Parse("https://auth.test/login")
	f.Fuzz(func(t *testing.T, page string) {
		if _, err := parseLoginPage(page, base); err != nil {
			// x/net/html recovers from anything; a form action that is
			// not a URL is the one error.
			if !strings.Contains(err.Error(), "parse") {
				t.Fatalf("parseLoginPage: %v", err)
			}
		}
		msg, text := pageWords(page)
		for _, s := range []string{msg, text} {
			if strings.ContainsAny(s, "\n\t\r") || s != strings.TrimSpace(s) {
				t.Fatalf("not one line of words: %q", s)
			}
		}
	})
}
