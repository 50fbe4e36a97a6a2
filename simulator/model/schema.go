package model

import "encoding/json"

// The types in this file mirror the JSON the ASK CLI keeps in a skill package
// (interactionModels/custom/<locale>.json). They are decoded as-is and then
// checked and compiled into Model, so every check can name the JSON path of
// the element at fault.

type fileJSON struct {
	InteractionModel *interactionModelJSON `json:"interactionModel"`
}

type interactionModelJSON struct {
	LanguageModel *languageModelJSON `json:"languageModel"`
	Dialog        *dialogJSON        `json:"dialog"`
	Prompts       []promptJSON       `json:"prompts"`
}

type languageModelJSON struct {
	InvocationName string         `json:"invocationName"`
	Intents        []intentJSON   `json:"intents"`
	Types          []slotTypeJSON `json:"types"`
}

type intentJSON struct {
	Name    string     `json:"name"`
	Samples []string   `json:"samples"`
	Slots   []slotJSON `json:"slots"`
}

type slotJSON struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Samples []string `json:"samples"`
}

type slotTypeJSON struct {
	Name   string          `json:"name"`
	Values []typeValueJSON `json:"values"`
}

type typeValueJSON struct {
	ID   string `json:"id"`
	Name struct {
		Value    string   `json:"value"`
		Synonyms []string `json:"synonyms"`
	} `json:"name"`
}

type dialogJSON struct {
	Delegation string             `json:"delegationStrategy"`
	Intents    []dialogIntentJSON `json:"intents"`
}

type dialogIntentJSON struct {
	Name                 string           `json:"name"`
	Delegation           string           `json:"delegationStrategy"`
	ConfirmationRequired bool             `json:"confirmationRequired"`
	Prompts              dialogPromptJSON `json:"prompts"`
	Slots                []dialogSlotJSON `json:"slots"`
}

type dialogPromptJSON struct {
	Elicitation  string `json:"elicitation"`
	Confirmation string `json:"confirmation"`
}

type dialogSlotJSON struct {
	Name                 string            `json:"name"`
	Type                 string            `json:"type"`
	ElicitationRequired  bool              `json:"elicitationRequired"`
	ConfirmationRequired bool              `json:"confirmationRequired"`
	Prompts              dialogPromptJSON  `json:"prompts"`
	Validations          []json.RawMessage `json:"validations"`
}

type promptJSON struct {
	ID         string          `json:"id"`
	Variations []variationJSON `json:"variations"`
}

type variationJSON struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// manifestFileJSON is the part of skill.json this package reads.
type manifestFileJSON struct {
	Manifest *struct {
		PublishingInformation struct {
			Locales map[string]struct {
				Name           string   `json:"name"`
				Summary        string   `json:"summary"`
				ExamplePhrases []string `json:"examplePhrases"`
			} `json:"locales"`
		} `json:"publishingInformation"`
		APIs struct {
			Custom *struct {
				Endpoint struct {
					URI string `json:"uri"`
				} `json:"endpoint"`
			} `json:"custom"`
		} `json:"apis"`
		Permissions []struct {
			Name string `json:"name"`
		} `json:"permissions"`
	} `json:"manifest"`
}
