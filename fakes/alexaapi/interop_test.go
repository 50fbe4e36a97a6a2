package alexaapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asksim/asksim/fakes/alexaapi"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/alexa"
)

// This file plays the ASK SDK clients' role: it sends what they send and
// decodes what they decode, step by step as their sources do
// (docs/alexa-contract.md §4.0):
//
//   - Node, ask-sdk-model-runtime BaseServiceClient.invoke: JSON.parse of a
//     non-empty body BEFORE the status check (a SyntaxError otherwise), then
//     the value for 2xx or a ServiceError{statusCode, response: parsed body}.
//   - Python, ask_sdk_model BaseServiceClient.invoke + ask_sdk_core
//     serialize.DefaultSerializer: 2xx with an empty 204 body or no response
//     type → None; 2xx otherwise json.loads into the response type; a status
//     in the call's response definitions → json.loads into that error model
//     (enum fields must hold a member, else SerializationException), raised
//     as ServiceException; any other status → ServiceException("Unknown
//     error") with the raw body.

// sdkRequest sends a request with exactly the SDK's headers.
func sdkRequest(t *testing.T, method, url, token string, body []byte) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = http.Header{
		"Authorization": {"Bearer " + token},
		"User-Agent":    {"ask-node-model/1.86.0 Node/v20.20.2"},
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	// Node's http module sends no Accept-Encoding; neither do we.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// nodeOutcome is what BaseServiceClient.invoke returns or throws.
type nodeOutcome struct {
	syntaxError bool
	ok          bool
	body        any // parsed body: the value, or ServiceError.response
	status      int
}

func nodeDecode(status int, body []byte) nodeOutcome {
	var parsed any
	if len(body) > 0 { // `response.body ? JSON.parse(response.body) : undefined`
		if err := json.Unmarshal(body, &parsed); err != nil {
			return nodeOutcome{syntaxError: true}
		}
	}
	return nodeOutcome{ok: status >= 200 && status < 300, body: parsed, status: status}
}

// pyType is a Python model type: "str", "none", or an error model.
type pyType string

const (
	pyStr          pyType = "str"
	pyDict         pyType = "dict" // a model without enum fields, e.g. Address
	pyUpsError     pyType = "ups.Error"
	pyAddressError pyType = "device_address.Error"
	pyDirectiveErr pyType = "directive.Error"
)

// pyOutcome is what the Python client returns or raises.
type pyOutcome struct {
	serialization string // SerializationException message, if raised
	service       bool   // ServiceException raised
	message       string // its message
	value         any    // the returned body, or the exception's body
}

// Response definitions of the Python service clients [PM].
var (
	pyUpsDefs       = map[int]pyType{401: pyUpsError, 403: pyUpsError, 429: pyUpsError, 500: pyUpsError}
	pyAddressDefs   = map[int]pyType{403: pyAddressError, 405: pyAddressError, 429: pyAddressError}
	pyDirectiveDefs = map[int]pyType{400: pyDirectiveErr, 401: pyDirectiveErr, 403: pyDirectiveErr, 429: pyDirectiveErr, 500: pyDirectiveErr}
)

func pyDeserialize(body []byte, typ pyType) (any, string) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil { // json.loads
		return nil, "Couldn't parse response body: " + string(body)
	}
	m, isObj := v.(map[string]any)
	switch typ {
	case pyUpsError:
		// code is ask_sdk_model.services.ups.error_code.ErrorCode: ErrorCode(x).
		if code, ok := m["code"]; isObj && ok {
			members := []string{"INVALID_KEY", "INVALID_VALUE", "INVALID_TOKEN", "INVALID_URI", "DEVICE_UNREACHABLE", "UNKNOWN_ERROR"}
			if s, _ := code.(string); !slices.Contains(members, s) {
				return nil, fmt.Sprintf("%#v is not a valid ErrorCode", code)
			}
		}
	case pyDirectiveErr:
		// code is int: int(x) fails for non-numeric strings.
		if code, ok := m["code"]; isObj && ok {
			if _, isNum := code.(float64); !isNum {
				return nil, fmt.Sprintf("Failed to parse %v into 'int' object", code)
			}
		}
	}
	return v, ""
}

func pyDecode(status int, body []byte, respType pyType, defs map[int]pyType) pyOutcome {
	if status >= 200 && status < 300 {
		if respType == "" || (status == 204 && len(body) == 0) {
			return pyOutcome{}
		}
		v, serr := pyDeserialize(body, respType)
		return pyOutcome{serialization: serr, value: v}
	}
	if typ, ok := defs[status]; ok {
		v, serr := pyDeserialize(body, typ)
		if serr != "" {
			return pyOutcome{serialization: serr}
		}
		return pyOutcome{service: true, message: "known", value: v}
	}
	return pyOutcome{service: true, message: "Unknown error", value: string(body)}
}

func TestSDKInterop(t *testing.T) {
	f := newFixture(t, func(c *alexaapi.Config) {
		c.ManifestPermissions = []string{alexa.ScopeEmail, alexa.ScopeMobileNumber, alexa.ScopeName,
			alexa.ManifestName(alexa.ScopeAddress), alexa.ManifestName(alexa.ScopeCountryAndPostalCode)}
	})
	endpoint, token, id := f.conversation(simulator.ConsentNone.Grant(alexa.ScopeEmail, alexa.ScopeMobileNumber,
		alexa.ScopeAddress))
	_, noConsent, noConsentID := f.conversation(simulator.ConsentNone)
	noEmail := alexaapi.DefaultProfile()
	noEmail.Email = nil
	_, tokenNoEmail, idNoEmail := f.conversation(simulator.ConsentEmail)
	f.api.SetProfile(idNoEmail.UserID, noEmail)
	dev := id.DeviceID
	speak := []byte(`{"header":{"requestId":"amzn1.echo-api.request.1"},"directive":{"type":"VoicePlayer.Speak","speech":"<speak>Hold on</speak>"}}`)

	type want struct {
		status int
		node   any    // Node: the value or ServiceError.response; nil for undefined
		py     any    // Python: the value or the exception's body; nil for None
		pyErr  string // Python: "service", "unknown", or a SerializationException substring
	}
	obj := func(s string) any {
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name          string
		method, path  string
		token         string
		body          []byte
		pyType        pyType
		pyDefs        map[int]pyType
		fault         *alexaapi.Fault
		want          want
		wantNodeError bool // a SyntaxError
	}{
		{name: "email", method: "GET", path: pathEmail, token: token, pyType: pyStr, pyDefs: pyUpsDefs,
			want: want{status: 200, node: "jane@example.com", py: "jane@example.com"}},
		{name: "email unset", method: "GET", path: pathEmail, token: tokenNoEmail, pyType: pyStr, pyDefs: pyUpsDefs,
			want: want{status: 204}},
		{name: "mobile", method: "GET", path: pathMobile, token: token, pyType: pyDict, pyDefs: pyUpsDefs,
			want: want{status: 200, node: obj(`{"countryCode":"+1","phoneNumber":"2065550100"}`), py: obj(`{"countryCode":"+1","phoneNumber":"2065550100"}`)}},
		// Amazon's ACCESS_DENIED is no member of the Python ErrorCode enum:
		// Python skills get a SerializationException, from Amazon as here.
		{name: "email not granted", method: "GET", path: pathEmail, token: noConsent, pyType: pyStr, pyDefs: pyUpsDefs,
			want: want{status: 403, node: obj(bodyNotRequested), pyErr: `"ACCESS_DENIED" is not a valid ErrorCode`}},
		{name: "given name not in manifest", method: "GET", path: pathGivenName, token: token, pyType: pyStr, pyDefs: pyUpsDefs,
			want: want{status: 403, node: obj(bodyForbidden), pyErr: `"ACCESS_DENIED" is not a valid ErrorCode`}},
		{name: "bad token", method: "GET", path: pathEmail, token: "garbage", pyType: pyStr, pyDefs: pyUpsDefs,
			want: want{status: 401, node: obj(`{"code":"INVALID_TOKEN","message":"The authentication token is not valid."}`),
				py: obj(`{"code":"INVALID_TOKEN","message":"The authentication token is not valid."}`), pyErr: "service"}},
		{name: "throttled", method: "GET", path: pathEmail, token: token, pyType: pyStr, pyDefs: pyUpsDefs, fault: &alexaapi.Fault{Status: 429},
			want: want{status: 429, node: obj(`{"code":"UNKNOWN_ERROR","message":"Too Many Requests"}`), py: obj(`{"code":"UNKNOWN_ERROR","message":"Too Many Requests"}`), pyErr: "service"}},
		{name: "server error", method: "GET", path: pathEmail, token: token, pyType: pyStr, pyDefs: pyUpsDefs, fault: &alexaapi.Fault{Status: 500},
			want: want{status: 500, node: obj(`{"code":"UNKNOWN_ERROR","message":"Internal Server Error"}`), py: obj(`{"code":"UNKNOWN_ERROR","message":"Internal Server Error"}`), pyErr: "service"}},
		{name: "malformed", method: "GET", path: pathEmail, token: token, pyType: pyStr, pyDefs: pyUpsDefs, fault: &alexaapi.Fault{MalformedBody: true},
			wantNodeError: true, want: want{status: 200, pyErr: "Couldn't parse response body"}},
		{name: "unknown path", method: "GET", path: "/v2/accounts/~current/settings/Profile.age", token: token, pyType: pyStr, pyDefs: pyUpsDefs,
			want: want{status: 404, node: obj(`{"code":"INVALID_URI","message":"No Alexa API at GET /v2/accounts/~current/settings/Profile.age in asksim's fake."}`),
				py: `{"code":"INVALID_URI","message":"No Alexa API at GET /v2/accounts/~current/settings/Profile.age in asksim's fake."}`, pyErr: "unknown"}},
		{name: "time zone", method: "GET", path: pathSetting(dev, "timeZone"), token: noConsent, pyType: pyStr, pyDefs: pyUpsDefs,
			want: want{status: 403, node: obj(`{"code":"INVALID_TOKEN","message":"The authentication token does not give access to this device."}`),
				py: obj(`{"code":"INVALID_TOKEN","message":"The authentication token does not give access to this device."}`), pyErr: "service"}},
		{name: "own time zone", method: "GET", path: pathSetting(noConsentID.DeviceID, "timeZone"), token: noConsent, pyType: pyStr, pyDefs: pyUpsDefs,
			want: want{status: 200, node: "America/Los_Angeles", py: "America/Los_Angeles"}},
		{name: "address", method: "GET", path: pathShortAddress(dev), token: token, pyType: pyDict, pyDefs: pyAddressDefs,
			want: want{status: 200, node: obj(`{"countryCode":"US","postalCode":"98109"}`), py: obj(`{"countryCode":"US","postalCode":"98109"}`)}},
		{name: "address not granted", method: "GET", path: pathAddress(noConsentID.DeviceID), token: noConsent, pyType: pyDict, pyDefs: pyAddressDefs,
			want: want{status: 403, node: obj(`{"type":"FORBIDDEN","message":"Access to this resource has not yet been requested."}`),
				py: obj(`{"type":"FORBIDDEN","message":"Access to this resource has not yet been requested."}`), pyErr: "service"}},
		{name: "address bad token", method: "GET", path: pathAddress(dev), token: "garbage", pyType: pyDict, pyDefs: pyAddressDefs,
			want: want{status: 403, node: obj(`{"type":"FORBIDDEN","message":"The authentication token is not valid."}`),
				py: obj(`{"type":"FORBIDDEN","message":"The authentication token is not valid."}`), pyErr: "service"}},
		{name: "address wrong method", method: "PUT", path: pathAddress(dev), token: token, pyType: pyDict, pyDefs: pyAddressDefs,
			want: want{status: 405, node: obj(`{"type":"METHOD_NOT_ALLOWED","message":"The method is not supported."}`),
				py: obj(`{"type":"METHOD_NOT_ALLOWED","message":"The method is not supported."}`), pyErr: "service"}},
		{name: "progressive response", method: "POST", path: pathDirectives, token: token, body: speak, pyDefs: pyDirectiveDefs,
			want: want{status: 204}},
		{name: "bad directive", method: "POST", path: pathDirectives, token: token, body: []byte(`{"header":{}}`), pyDefs: pyDirectiveDefs,
			want: want{status: 400, node: obj(`{"code":400,"message":"header.requestId is missing"}`), py: obj(`{"code":400,"message":"header.requestId is missing"}`), pyErr: "service"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fault != nil {
				f.api.Fail(tc.path, 1, *tc.fault)
			}
			status, body := sdkRequest(t, tc.method, endpoint+tc.path, tc.token, tc.body)
			if status != tc.want.status {
				t.Fatalf("status %d (%s), want %d", status, body, tc.want.status)
			}
			node := nodeDecode(status, body)
			switch {
			case node.syntaxError != tc.wantNodeError:
				t.Errorf("Node: SyntaxError = %v, want %v (body %q)", node.syntaxError, tc.wantNodeError, body)
			case !tc.wantNodeError && !reflect.DeepEqual(node.body, tc.want.node):
				t.Errorf("Node: body %#v, want %#v", node.body, tc.want.node)
			case !tc.wantNodeError && node.ok != (status < 300):
				t.Errorf("Node: ok = %v for %d", node.ok, status)
			}
			py := pyDecode(status, body, tc.pyType, tc.pyDefs)
			switch tc.want.pyErr {
			case "":
				if py.serialization != "" || py.service || !reflect.DeepEqual(py.value, tc.want.py) {
					t.Errorf("Python: %+v, want the value %#v", py, tc.want.py)
				}
			case "service", "unknown":
				wantMsg := map[string]string{"service": "known", "unknown": "Unknown error"}[tc.want.pyErr]
				if !py.service || py.message != wantMsg || !reflect.DeepEqual(py.value, tc.want.py) {
					t.Errorf("Python: %+v, want ServiceException(%s) with body %#v", py, wantMsg, tc.want.py)
				}
			default:
				if !strings.Contains(py.serialization, tc.want.pyErr) {
					t.Errorf("Python: %+v, want SerializationException %q", py, tc.want.pyErr)
				}
			}
		})
	}
}
