package link

import (
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
