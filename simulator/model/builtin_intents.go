package model

// builtinIntentPhrases are the usual English phrasings of Alexa's standard
// built-in intents. They apply only to intents the model declares, and add to
// the model's own samples for that intent. Alexa's real lists are not
// published; these are the phrasings its documentation and everyday use show.
// "exit" and "quit" are absent on purpose: Alexa ends the session itself for
// them (SessionEndedRequest, reason USER_INITIATED) instead of sending an intent.
var builtinIntentPhrases = map[string][]string{
	"AMAZON.StopIntent":   {"stop", "off", "shut up", "be quiet", "stop it", "please stop", "alexa stop", "that's enough"},
	"AMAZON.CancelIntent": {"cancel", "never mind", "nevermind", "forget it", "cancel that", "cancel it"},
	"AMAZON.HelpIntent": {"help", "help me", "please help", "can you help me", "i need help", "what can i say",
		"what can you do", "what can i do", "how does this work", "what are my options"},
	"AMAZON.YesIntent":          yesPhrases,
	"AMAZON.NoIntent":           noPhrases,
	"AMAZON.NavigateHomeIntent": {"go home", "navigate home", "go to the home screen", "home screen"},
	"AMAZON.StartOverIntent":    {"start over", "start again", "restart", "begin again", "start from the beginning"},
	"AMAZON.RepeatIntent":       {"repeat", "repeat that", "say that again", "say it again", "again", "what did you say", "come again", "pardon"},
	"AMAZON.PauseIntent":        {"pause", "pause that", "pause it", "hold on"},
	"AMAZON.ResumeIntent":       {"resume", "continue", "keep going", "unpause", "carry on"},
	"AMAZON.NextIntent":         {"next", "skip", "next one", "skip this", "skip that", "go to the next one"},
	"AMAZON.PreviousIntent":     {"previous", "go back", "back", "previous one", "the previous one", "go to the previous one"},
}

var yesPhrases = []string{"yes", "yeah", "yep", "yup", "yes please", "sure", "ok", "okay", "correct",
	"that's right", "that is right", "right", "of course", "absolutely", "affirmative", "please do", "definitely"}

var noPhrases = []string{"no", "nope", "nah", "no thanks", "no thank you", "not really", "negative",
	"incorrect", "that's wrong", "that is wrong", "wrong", "no way", "don't", "do not"}
