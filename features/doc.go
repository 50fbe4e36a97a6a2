// Package features is asksim's Gherkin step library and its bundled feature
// files.
//
// QA engineers write features in the vocabulary of Steps (run
// `asksim steps` for the list with examples); `asksim test` runs them with
// godog against any skill endpoint, and Go users run them from their own
// `go test` (see ExampleSuite_InitializeScenario) or with Suite.Run.
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
// Suite.Run is what `asksim test` does: it chooses the scenarios (paths
// with FILE:LINE, a Cucumber tag expression, a shard, a shuffle; List
// prints the same choice), checks before anything runs what the features
// need of the configuration, and writes the reports of package report
// (pretty, progress, JUnit, Cucumber JSON, HTML, rerun) from godog's hooks.
// Each scenario registers only the steps it uses, which spares godog most
// of its matching. Suite.Dialog is `asksim dialog`: the same world, a line
// at a time.
package features
