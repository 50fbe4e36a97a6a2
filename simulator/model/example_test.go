package model_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/asksim/asksim/simulator/model"
)

func ExampleLoadModelFile() {
	m, err := model.LoadModelFile("../../fixtures/models/travel/interactionModels/custom/en-US.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("invocation:", m.InvocationName)
	for _, s := range m.Intent("BookFlightIntent").Slots {
		fmt.Printf("slot %s: %s\n", s.Name, s.Type)
	}
	// Output:
	// invocation: travel buddy
	// slot fromCity: CityType
	// slot toCity: CityType
	// slot travelDate: AMAZON.DATE
	// slot travelClass: ClassType
	// slot passengers: AMAZON.NUMBER
}

func ExampleModel_Resolve() {
	m, err := model.LoadModelFile("../../fixtures/models/travel/interactionModels/custom/en-US.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	m.SkillID = "amzn1.ask.skill.52b86ebd-dd7d-45c3-a763-de584f62b8d6"
	m.Clock = func() time.Time { return time.Date(2025, 6, 4, 9, 0, 0, 0, time.UTC) }

	r, err := m.Resolve("Ask Travel Buddy to book a flight to the Big Apple on June fifth")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Kind, r.Intent, "new session:", r.NewSession)
	for _, s := range r.Slots {
		if !s.Filled() {
			continue
		}
		fmt.Printf("%s = %q", s.Name, s.Value)
		if er := s.Resolved; er != nil {
			fmt.Printf(" %s %s/%s", er.Status, er.Values[0].Name, er.Values[0].ID)
		}
		fmt.Println()
	}
	fmt.Println(r.Why[1])
	// Output:
	// IntentRequest BookFlightIntent new session: true
	// toCity = "the big apple" ER_SUCCESS_MATCH New York/NYC
	// travelDate = "2025-06-05"
	// matched sample "book a flight to {toCity} on {travelDate}" of BookFlightIntent (literal=5 recognized=2 free=0)
}

func ExampleModel_Resolve_noMatch() {
	m, err := model.ParseModel("facts.json", []byte(`{"interactionModel":{"languageModel":{
		"invocationName": "space facts",
		"intents": [{"name": "GetFactIntent", "samples": ["tell me a fact", "give me a space fact"]}]}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = m.Resolve("give me a space fat")
	var nm *model.NoMatchError
	if errors.As(err, &nm) {
		fmt.Println(nm.Closest[0])
	}
	// Output:
	// GetFactIntent: give me a space fact
}

// A resolution's JSON form is what `asksim resolve --json` prints, for
// scripts: every slot, the entity resolution and the reasons.
func ExampleResolution_MarshalJSON() {
	m, err := model.ParseModel("coffee.json", []byte(`{"interactionModel":{"languageModel":{
		"invocationName": "coffee shop",
		"intents": [{"name": "OrderIntent", "samples": ["order a {item}"],
			"slots": [{"name": "item", "type": "ItemType"}]}],
		"types": [{"name": "ItemType", "values": [{"id": "LATTE", "name": {"value": "latte", "synonyms": ["cafe latte"]}}]}]}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m.SkillID = "amzn1.ask.skill.00000000-0000-4000-8000-000000000001"
	r, err := m.Resolve("order a cafe latte")
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.MarshalIndent(r, "", "  ")
	fmt.Println(string(b))
	_, err = m.Resolve("order tea")
	b, _ = json.Marshal(err)
	fmt.Println(string(b))
	// Output:
	// {
	//   "utterance": "order a cafe latte",
	//   "match": true,
	//   "request": "IntentRequest",
	//   "newSession": false,
	//   "intent": "OrderIntent",
	//   "sample": "order a {item}",
	//   "score": {
	//     "literal": 2,
	//     "recognized": 1,
	//     "freeWords": 0
	//   },
	//   "slots": [
	//     {
	//       "name": "item",
	//       "type": "ItemType",
	//       "value": "cafe latte",
	//       "spoken": "cafe latte",
	//       "recognized": true,
	//       "resolution": {
	//         "authority": "amzn1.er-authority.echo-sdk.amzn1.ask.skill.00000000-0000-4000-8000-000000000001.ItemType",
	//         "status": "ER_SUCCESS_MATCH",
	//         "values": [
	//           {
	//             "name": "latte",
	//             "id": "LATTE"
	//           }
	//         ]
	//       }
	//     }
	//   ],
	//   "why": [
	//     "matched sample \"order a {item}\" of OrderIntent (literal=2 recognized=1 free=0)",
	//     "slot item (ItemType) = \"cafe latte\": synonym of \"latte\" (id LATTE) → ER_SUCCESS_MATCH"
	//   ]
	// }
	// {"utterance":"order tea","match":false,"closest":["OrderIntent: order a {item}"]}
}

// WriteText is what `asksim resolve` prints for a person.
func ExampleResolution_WriteText() {
	m, err := model.ParseModel("coffee.json", []byte(`{"interactionModel":{"languageModel":{
		"invocationName": "coffee shop",
		"intents": [{"name": "OrderIntent", "samples": ["order {quantity} {item}"],
			"slots": [{"name": "item", "type": "ItemType"}, {"name": "quantity", "type": "AMAZON.NUMBER"}]}],
		"types": [{"name": "ItemType", "values": [{"id": "LATTE", "name": {"value": "latte", "synonyms": ["cafe latte"]}}]}]}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := m.Resolve("ask coffee shop to order one cafe latte")
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = r.WriteText(os.Stdout)
	// Output:
	// utterance: "ask coffee shop to order one cafe latte"
	// request:   IntentRequest in a new session
	// intent:    OrderIntent
	// sample:    "order {quantity} {item}"
	// score:     literal=1 recognized=2 free=0
	// slots:
	//   item      ItemType       "cafe latte"  ER_SUCCESS_MATCH latte (id LATTE)
	//   quantity  AMAZON.NUMBER  "1" (heard "one")
	// why:
	//   - "ask coffee shop to" (ask + invocation name) opens a new session; resolving "order one cafe latte"
	//   - matched sample "order {quantity} {item}" of OrderIntent (literal=1 recognized=2 free=0)
	//   - slot item (ItemType) = "cafe latte": synonym of "latte" (id LATTE) → ER_SUCCESS_MATCH
	//   - slot quantity (AMAZON.NUMBER) = "one": read as 1
	// matching:  by sample: the words must fit a sample utterance of the model (case, punctuation and contractions aside); Alexa's language model also takes phrasings no sample covers, so check those on a device
}

func ExampleSkillPackage_Declares() {
	p, err := model.LoadSkillPackage("../../fixtures/models/travel")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Permissions())
	fmt.Println(p.Declares("read::alexa:device:all:address"))
	fmt.Println(p.Declares("alexa::profile:email:read"))
	// Output:
	// [alexa::profile:given_name:read alexa::devices:all:address:full:read]
	// true
	// false
}

func ExampleModel_Dialog() {
	m, err := model.LoadModelFile("../../fixtures/models/travel/interactionModels/custom/en-US.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	d := m.Dialog("BookFlightIntent")
	for _, s := range d.Required() {
		fmt.Printf("%s: %s\n", s.Name, m.Prompt(s.ElicitationPrompt).Pick(0).Value)
	}
	answer, _ := m.ResolveSlot("BookFlightIntent", "toCity", "I'm flying to London")
	fmt.Println(m.Prompt(d.Slot("toCity").ConfirmationPrompt).Pick(0).Render(map[string]string{"toCity": answer.Value}))
	// Output:
	// toCity: Where would you like to fly to?
	// fromCity: Where are you flying from?
	// travelDate: <speak>When do you want to fly to {toCity}?</speak>
	// You said london, right?
}
