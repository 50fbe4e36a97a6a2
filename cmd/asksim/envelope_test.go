package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// The answers to voice permission requests, as 'asksim envelope' prints
// them: in the shape of the request they answer (docs/alexa-contract.md
// §2.7, §2.10).
func TestEnvelopePermissionAnswers(t *testing.T) {
	request := func(args ...string) map[string]any {
		t.Helper()
		code, out, errs := runCLI(t, append([]string{"envelope"}, args...)...)
		if code != 0 {
			t.Fatalf("envelope %q: exit %d: %s", args, code, errs)
		}
		var env struct {
			Session map[string]any `json:"session"`
			Request map[string]any `json:"request"`
		}
		if err := json.Unmarshal([]byte(out), &env); err != nil {
			t.Fatal(err)
		}
		if env.Session == nil {
			t.Errorf("envelope %q has no session", args)
		}
		return env.Request
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }

	v1 := request("permission-response", "timers", "--permission-version", "1", "--status", "denied", "--token", "t1")
	if got := js(v1["payload"]); got != `{"isCardThrown":false,"permissionScope":"alexa::alerts:timers:skill:readwrite","status":"DENIED"}` {
		t.Errorf("v1 payload %s", got)
	}
	v2 := request("permission-response", "reminders")
	if got := js(v2["payload"]); got != `{"isCardThrown":false,"permissionScopes":[{"consentLevel":"ACCOUNT","permissionScope":"alexa::alerts:reminders:skill:readwrite"}],"status":"ACCEPTED"}` {
		t.Errorf("v2 payload %s", got)
	}
	resumed := request("session-resumed", "email", "--token", "tk")
	if resumed["type"] != "SessionResumedRequest" ||
		js(resumed["cause"]) != `{"result":{"status":"ACCEPTED"},"status":{"code":"200","message":"OK"},"token":"tk","type":"ConnectionCompleted"}` {
		t.Errorf("session-resumed request %s", js(resumed))
	}
	failed := request("session-resumed", "--code", "400")
	if js(failed["cause"]) != `{"result":{},"status":{"code":"400","message":"Bad Request"},"token":"","type":"ConnectionCompleted"}` {
		t.Errorf("session-resumed --code 400: %s", js(failed["cause"]))
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"session-resumed", "--status", "maybe"}, "--status"},
		{[]string{"permission-response", "--permission-version", "3"}, "--permission-version"},
		{[]string{"permission-response", "name", "email", "--permission-version", "1"}, "single scope"},
		{[]string{"session-resumed", "--code", "20"}, "--code"},
		{[]string{"session-resumed", "nonsense"}, "session-resumed:"},
	} {
		code, _, errs := runCLI(t, append([]string{"envelope"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(errs, tc.want) {
			t.Errorf("envelope %q: exit %d, stderr %q; want %q", tc.args, code, errs, tc.want)
		}
	}
}
