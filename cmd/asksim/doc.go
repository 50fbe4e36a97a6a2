// Command asksim simulates Alexa for skill developers: it prints and sends
// request envelopes, serves fakes of the Alexa APIs and an OAuth server, links
// accounts and runs Gherkin features against a skill.
//
// Each subcommand lives in its own file and is thin: it turns flags into
// the options of the packages that do the work (simulator, simulator/voice,
// simulator/link, simulator/apitoken, simulator/model, the fakes and
// features) and prints what they return. Exit status is 0 for success, 1
// for a failure the command reports (a broken rule, a failed scenario) and
// 2 for a usage or configuration error.
package main
