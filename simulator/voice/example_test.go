package voice_test

import (
	"context"
	"fmt"
	"log"

	"github.com/asksim/asksim/fixtures/skill"
	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/model"
	"github.com/asksim/asksim/simulator/voice"
)

// ExampleVoice_Say orders from the example skill by voice. Its model
// auto-delegates the order, so Alexa confirms it from the model's prompt
// and the skill hears of it once, COMPLETED.
func ExampleVoice_Say() {
	pkg, err := model.LoadSkillPackageFS(skill.Package(), "skill-package")
	if err != nil {
		log.Fatal(err)
	}
	m, err := pkg.Model("en-US")
	if err != nil {
		log.Fatal(err)
	}
	sim, err := simulator.New(
		simulator.WithEndpoint(simulator.HandlerEndpoint(skill.New(skill.Options{}))),
		simulator.WithSkillPackage(pkg), // consent requests are checked against skill.json
	)
	if err != nil {
		log.Fatal(err)
	}
	v := voice.New(sim.NewConversation(simulator.ConsentNone), m)
	for _, utterance := range []string{"open example skill", "order two coffees", "yes"} {
		ex, err := v.Say(context.Background(), utterance)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("user:  %s\nalexa: %s\n", utterance, ex.Speech)
		for _, turn := range ex.Turns {
			r := turn.Request.Request
			if r.Intent != nil {
				fmt.Printf("       (skill got %s, dialogState %s, confirmation %s)\n", r.Intent.Name, r.DialogState, r.Intent.ConfirmationStatus)
			}
		}
		if ex.Dialog.Open() {
			fmt.Printf("       (%s)\n", ex.Dialog)
		}
	}
	// Output:
	// user:  open example skill
	// alexa: Welcome to Example Skill. You can ask for your email, your name, or your account.
	// user:  order two coffees
	// alexa: That's 2 coffees. Shall I place the order?
	//        (confirming intent OrderIntent)
	// user:  yes
	// alexa: Ordering 2 coffees.
	//        (skill got OrderIntent, dialogState COMPLETED, confirmation CONFIRMED)
}
