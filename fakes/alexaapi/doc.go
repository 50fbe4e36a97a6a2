// Package alexaapi fakes the Alexa APIs a custom skill calls back with the
// apiAccessToken of its request envelope, so that an unmodified ASK SDK
// client (Node.js, Python, Java) can be tested offline.
//
// A Server is an http.Handler; it never listens by itself (wrap it in
// httptest.NewServer, or use package fakes/serve). It serves, at the root of
// its address:
//
//   - Customer Profile, account level: GET
//     /v2/accounts/~current/settings/Profile.{name,givenName,email,mobileNumber};
//     person level: GET /v2/persons/~current/profile/{name,givenName,mobileNumber}.
//   - Device Address: GET /v1/devices/{deviceId}/settings/address and
//     …/address/countryAndPostalCode.
//   - Settings (no consent needed): GET
//     /v2/devices/{deviceId}/settings/System.{timeZone,distanceUnits,temperatureUnit}.
//   - Progressive response: POST /v1/directives, validated and recorded.
//
// Every call needs `Authorization: Bearer <apiAccessToken>`; the token is
// verified with Config.Keyfunc (see apitoken.Parse) and its consent
// decides the answer, with the status codes and bodies that the SDK clients
// parse (docs/alexa-contract.md §4):
//
//   - 200 with the value as a JSON literal ("Jane Doe" with its quotes) and
//     Content-Type application/json; 204 with an empty body when the user has
//     no such value (a Profile field that is nil).
//   - Customer Profile and Settings errors are {"code","message"}: 401 for a
//     missing, malformed, badly signed, expired or wrong-audience token; 403
//     {"code":"ACCESS_DENIED","message":"Access denied with reason: ACCESS_NOT_REQUESTED"}
//     when the scope was not granted, and "…reason: FORBIDDEN" when
//     Config.ManifestPermissions is set and lacks the permission.
//   - Device Address errors are {"type","message"} and, as Amazon documents
//     for this API (which defines no 401), a bad token answers 403 too.
//   - Progressive response errors are {"code": <number>,"message"}.
//   - A {deviceId} in the path must equal the token's deviceId, else 403:
//     the token is valid but has no access to another device's resource.
//   - 405 (with Allow) for a wrong method, 404 for an unknown path, both JSON.
//   - 429 and other failures only through Fail.
//
// Error messages are Amazon's words exactly where they are known, since
// frameworks compare them for equality (a bad token's 401 is "The
// authentication token is not valid.", docs/alexa-contract.md §4.1). Why the
// fake refused a call (what is wrong with the token, which manifest
// permission is missing) is in the X-Asksim-Detail header (DetailHeader)
// and in the request log, never in the message.
//
// Verified tokens are cached by their raw string until they expire, so that
// the fake is never the bottleneck of a test run. Requests (tokens redacted)
// and progressive responses are recorded for assertions.
package alexaapi
