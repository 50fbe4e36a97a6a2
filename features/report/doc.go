// Package report holds the results of a run of features and writes them for
// people and for tools: pretty and progress text, JUnit XML, Cucumber JSON,
// a self-contained HTML report, and the rerun list of failed scenarios.
//
// A Run is filled by package features as scenarios finish; each scenario
// keeps its Conversation (what the user said, what Alexa heard and said,
// the calls the skill made) as a function that builds it on first use, from
// data the run already holds, so that a run without a report that shows
// transcripts pays nothing for them.
//
// The package knows nothing of godog, the simulator or the fakes: it is the
// model and its renderings, and so can be tested and reused on its own.
package report
