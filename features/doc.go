// Package features is asksim's Gherkin step library and its bundled feature
// files.
//
// QA engineers write features in the vocabulary of Steps (run
// `asksim steps` for the list with examples); `asksim test` runs them with
// godog against any skill endpoint, and Go users run them from their own
// `go test` (see ExampleSuite_InitializeScenario).
//
// A Suite owns what a run shares: the simulator that builds envelopes, the
// Alexa API fake the skill calls back, the OAuth fake accounts are linked
// against (whose provider API a linked skill calls with the token), and, by
// default, the example skill from fixtures/skill. Each
// scenario gets its own user and device, starts with consent "none" and no
// linked account, and keeps its state to itself, so scenarios run in
// parallel: what a scenario scripts the provider API to answer goes to its
// own grant, which is revoked when the scenario ends.
//
// Requests are unsigned unless Config.Sign or a scenario's `requests are
// signed` asks; the signing steps and `the skill refuses the request` test
// a skill's own signature verifier (docs/request-signing.md).
//
// Suite.Run is godog with asksim's costs taken out of it: output gathered
// and written a few times a second, colours stripped in one pass, godog's
// pretty formatter in linear time for runs in file order (byte for byte
// the same), and each scenario registering only the steps it uses.
package features
