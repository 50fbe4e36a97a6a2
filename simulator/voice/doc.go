// Package voice plays Alexa between what a user says and a skill.
//
//   - Voice.Say resolves an utterance against the skill's interaction model
//     (package model) into the request Alexa would send, and sends it over
//     a simulator.Conversation: "open <invocation name>" launches, "ask
//     <invocation name> to …" starts a new session, anything else is an
//     IntentRequest with every slot and entity resolution.
//   - Alexa's side of the dialog is played from the dialog model:
//     Dialog.Delegate and auto delegation with the model's prompts, and
//     ElicitSlot, ConfirmSlot and ConfirmIntent answered by the next
//     utterance (DialogStep says what Alexa waits for).
//   - Voice.Send sends a request a test built and then follows the skill's
//     Dialog directives as after Say.
package voice
