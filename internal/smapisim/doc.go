// Package smapisim plays Alexa's side of the SMAPI fake's simulations and
// invocations with asksim's simulator: it implements smapi.Backend.
//
// fakes/smapi knows only the SMAPI wire, and the simulator packages know
// nothing of fakes; this package is the one place that joins them.
// Skill packages are loaded with model.LoadSkillPackageFS, the loader of
// --skill-package, so a model the fake accepts is one asksim resolves
// with. Each simulated session is a simulator.Conversation spoken to
// through a Voice: utterances are resolved against the skill's model (the
// invocation phrases, slots, entity resolution and built-in intents) and
// the dialog is played from the dialog model, and the skill is called with
// an envelope carrying the configured consent and Alexa API endpoint.
package smapisim
