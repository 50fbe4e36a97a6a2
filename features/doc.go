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
// against, and, by default, the example skill from fixtures/skill. Each
// scenario gets its own user and device, starts with consent "none" and no
// linked account, and keeps its state to itself, so scenarios run in
// parallel.
//
// Suite.Run is what `asksim test` does: it chooses the scenarios (paths
// with FILE:LINE, a Cucumber tag expression, a shard, a shuffle; List
// prints the same choice), checks before anything runs what the features
// need of the configuration, and writes the reports of package report
// (pretty, progress, JUnit, Cucumber JSON, HTML, rerun) from godog's hooks.
// Suite.Dialog is `asksim dialog`: the same world, a line at a time.
package features
