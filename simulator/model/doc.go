// Package model reads Alexa skill packages and resolves utterances against
// the skill's own interaction model, deterministically and with reasons.
//
// It is a leaf package: it knows the ASK CLI files and Alexa's resolution
// rules, not request envelopes. Callers turn a Resolution into a
// LaunchRequest or IntentRequest.
//
// # Loading
//
// LoadSkillPackage reads skill.json (publishing locales, endpoint,
// manifest.permissions) and interactionModels/custom/<locale>.json, from a
// skill-package directory or an ASK CLI project root holding one.
// LoadModelFile and ParseModel read a bare interaction-model file. Models are
// checked at load (unknown slots in samples, unknown slot types, duplicate
// intents or samples, dialog entries for unknown intents, slots or prompts,
// …) and every error is a *LoadError naming the file, line:column and JSON
// path, for example:
//
//	skill-package/interactionModels/custom/en-US.json:14:11: interactionModel.languageModel.intents[3].samples[2]: unknown slot "{cty}" in sample "weather in {cty}" (intent WeatherIntent has {city})
//
// SkillPackage.Model does not fall back from one locale to another (en-GB to
// en-US): Alexa serves a locale only with its own model.
//
// # Resolving
//
// Model.Resolve compares words: case and punctuation do not matter (see
// Words). In order:
//
//   - "open|start|launch|begin|load|run <invocation name>" is a LaunchRequest;
//     "ask|tell <invocation name>" alone also launches.
//   - "ask|tell <invocation name> [to|that|for|about|whether|if] <rest>"
//     resolves <rest> as below, with NewSession set.
//   - Otherwise every sample utterance is tried. Literal words must be equal;
//     each {slot} takes one or more words its type accepts. A sample made
//     only of slots must have every slot recognised, or it would swallow any
//     utterance.
//   - The best sample wins by Score: more literal words, then more slot
//     values recognised, then fewer unrecognised slot words. Equal scores go
//     to the intent listed first in the model, then to the sample listed
//     first (built-in phrases after the model's own samples). Resolution.Why
//     says which sample matched, how each slot was filled and which other
//     intent also fitted and why it lost.
//   - With no match: AMAZON.FallbackIntent if the model declares it,
//     otherwise a *NoMatchError listing the three closest samples by word
//     edit distance.
//
// Built-in intents declared in the model (AMAZON.StopIntent, CancelIntent,
// HelpIntent, YesIntent, NoIntent, NavigateHomeIntent, StartOverIntent,
// RepeatIntent, PauseIntent, ResumeIntent, NextIntent, PreviousIntent) get
// their usual English phrasings ("stop", "never mind", "what can i say",
// "yeah", "nope", "start over", "say that again", …) on top of the model's
// own samples. "exit" is not among them: Alexa ends the session itself.
//
// # Slot types
//
// A custom slot type matches its values and synonyms exactly (after
// normalising words); the slot then carries ER_SUCCESS_MATCH with the
// canonical name and id under the authority
// amzn1.er-authority.echo-sdk.<Model.SkillID>.<SlotType>. A value with no id
// in the model gets hex(md5(type + "/" + value)), 32 hex digits like Alexa's
// own. Other words still fill the slot, as spoken, with ER_SUCCESS_NO_MATCH.
//
// Built-in slot types, at this level (English only):
//
//   - AMAZON.NUMBER: digits, or number words up to the billions ("two hundred
//     and five", "a thousand", "minus three") → "205". Other words do not fill.
//   - AMAZON.Ordinal: "first" … "ninety ninth", "hundredth", "1st", "22nd" → "22".
//   - AMAZON.DATE, relative to Model.Clock (time.Now by default, in the
//     clock's location): today, tomorrow, yesterday, the day after tomorrow;
//     weekdays ("friday" and "this friday" = the next Friday on or after
//     today, "next friday" = the first after today, "last friday"); "june
//     fifth", "june 5", "the 5th of june", "5 june", with an optional
//     four-digit year, else the next such date on or after today; ISO
//     "2025-06-05"; "this/next/last week" → "2025-W23", "this weekend" →
//     "2025-W23-WE", "this/next month" → "2025-06", a bare month → the next
//     such month, "this/next year" → "2025".
//   - AMAZON.TIME: "7:30", "seven thirty pm", "seven oh five", "half past
//     seven", "quarter to eight", "seven o'clock", noon, midnight → "HH:MM"
//     (24 h); morning, afternoon, evening, night → "MO", "AF", "EV", "NI".
//   - AMAZON.DURATION: "<number> <unit>" joined by "and" (seconds to years),
//     "an hour and a half", "half an hour" → ISO 8601 ("PT1H30M", "P2W").
//   - AMAZON.FirstName, AMAZON.City (and US_CITY, GB_CITY, DE_CITY,
//     EUROPE_CITY), AMAZON.Country, AMAZON.Color: a small embedded catalogue
//     makes a value recognised; any other words still fill the slot, as on
//     Alexa.
//   - AMAZON.SearchQuery and any other AMAZON.* type: any words, as spoken.
//
// # Dialogs
//
// Model.Dialog exposes the dialog model (required slots in order,
// confirmations, prompt ids, validations kept unevaluated); Model.Prompt and
// Prompt.Pick choose prompt wording deterministically (the first variation
// unless a seed is given), and Variation.Render fills {slot} references.
// Model.ResolveSlot reads an answer to an elicitation with the slot's own
// samples and the bare value; Model.ResolveConfirmation reads yes or no.
//
// # Permissions
//
// Runtime scopes (consent cards, Alexa API calls) and manifest permission
// names differ for the device address and lists; alexa.ManifestName maps
// one to the other and SkillPackage.Declares checks the manifest.
//
// A Model is safe for concurrent use once SkillID and Clock are set.
package model
