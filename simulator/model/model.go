package model

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// UnknownSkillID stands in for the skill id in entity-resolution authorities
// when Model.SkillID is not set.
const UnknownSkillID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"

// FallbackIntent is the built-in intent Resolve answers with when nothing
// matches and the model declares it.
const FallbackIntent = "AMAZON.FallbackIntent"

// Model is one locale's interaction model, checked and indexed for
// resolution. It is safe for concurrent use once SkillID and Clock are set.
type Model struct {
	Locale         string // from the file name (en-US.json → en-US); "" for a bare file
	InvocationName string
	Intents        []*Intent   // in model order, which is also the tie-break order
	Types          []*SlotType // custom slot types
	Prompts        []*Prompt
	// Delegation is dialog.delegationStrategy, "" when the model has none.
	Delegation string

	// SkillID goes into entity-resolution authorities
	// (amzn1.er-authority.echo-sdk.<SkillID>.<SlotType>); UnknownSkillID when empty.
	SkillID string
	// Clock gives the reference date for AMAZON.DATE ("tomorrow") and its
	// location; time.Now when nil.
	Clock func() time.Time

	file         string
	intentByName map[string]*Intent
	typeByName   map[string]*SlotType
	promptByID   map[string]*Prompt
	dialogs      []*DialogIntent
	dialogByName map[string]*DialogIntent
	invocation   []string
	idx          index
}

// Intent is an intent of the language model.
type Intent struct {
	Name    string
	Samples []string // as written in the model
	Slots   []*Slot
	// BuiltinPhrases are the phrases this package adds for a built-in intent
	// (AMAZON.HelpIntent: "help", "what can i say", …); empty for custom intents.
	BuiltinPhrases []string

	slotSamples map[string][]*sample
}

// Slot is a slot of an intent.
type Slot struct {
	Name    string
	Type    string
	Samples []string // slot-filling samples for dialogs ("{city}", "to {city}")
}

// SlotType is a custom slot type.
type SlotType struct {
	Name   string
	Values []TypeValue

	lookup map[string]int // normalized value or synonym → index in Values
}

// TypeValue is one value of a custom slot type.
type TypeValue struct {
	// ID is the model's id, or when the model gives none, a stable 32-hex id:
	// hex(md5(type name + "/" + value)), shaped like the ids Alexa generates.
	ID          string
	GeneratedID bool
	Name        string
	Synonyms    []string
}

// Intent returns the intent with the given name, or nil.
func (m *Model) Intent(name string) *Intent { return m.intentByName[name] }

// SlotType returns the custom slot type with the given name, or nil.
func (m *Model) SlotType(name string) *SlotType { return m.typeByName[name] }

// Slot returns the intent's slot with the given name, or nil.
func (in *Intent) Slot(name string) *Slot {
	for _, s := range in.Slots {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func generatedID(typeName, value string) string {
	sum := md5.Sum([]byte(typeName + "/" + value))
	return hex.EncodeToString(sum[:])
}

func (m *Model) skillID() string {
	if m.SkillID == "" {
		return UnknownSkillID
	}
	return m.SkillID
}

func (m *Model) now() time.Time {
	if m.Clock != nil {
		return m.Clock()
	}
	return time.Now()
}

// compile checks the decoded file and builds the Model with its indexes.
// Every error names the JSON path of the element at fault.
func compile(fe *fileErrors, raw *fileJSON) (*Model, error) {
	if raw.InteractionModel == nil {
		return nil, &LoadError{File: fe.name, Msg: `missing "interactionModel" object`}
	}
	im := raw.InteractionModel
	if im.LanguageModel == nil {
		return nil, fe.at("interactionModel", `missing "languageModel" object`)
	}
	lm := im.LanguageModel
	m := &Model{
		file:         fe.name,
		intentByName: map[string]*Intent{},
		typeByName:   map[string]*SlotType{},
		promptByID:   map[string]*Prompt{},
		dialogByName: map[string]*DialogIntent{},
	}
	const lmPath = "interactionModel.languageModel"
	m.InvocationName = strings.TrimSpace(lm.InvocationName)
	m.invocation = Words(m.InvocationName)
	if len(m.invocation) == 0 {
		return nil, fe.at(joinPath(lmPath, "invocationName"), "invocation name is empty")
	}
	if err := m.compileTypes(fe, lm.Types, joinPath(lmPath, "types")); err != nil {
		return nil, err
	}
	if err := m.compileIntents(fe, lm.Intents, joinPath(lmPath, "intents")); err != nil {
		return nil, err
	}
	if err := m.compilePrompts(fe, im.Prompts); err != nil {
		return nil, err
	}
	if im.Dialog != nil {
		if err := m.compileDialog(fe, im.Dialog); err != nil {
			return nil, err
		}
	}
	m.buildIndex()
	return m, nil
}

// checkName rejects an empty name, or one already used (taken), at path.
func checkName(fe *fileErrors, path, noun, name string, taken bool) error {
	switch {
	case name == "":
		return fe.at(path, "%s name is empty", noun)
	case taken:
		return fe.at(path, "duplicate %s %q", noun, name)
	}
	return nil
}

func (m *Model) compileTypes(fe *fileErrors, types []slotTypeJSON, path string) error {
	for i, tj := range types {
		tp := indexPath(path, i)
		if err := checkName(fe, joinPath(tp, "name"), "slot type", tj.Name, m.typeByName[tj.Name] != nil); err != nil {
			return err
		}
		st := &SlotType{Name: tj.Name, lookup: map[string]int{}}
		for j, vj := range tj.Values {
			vp := indexPath(joinPath(tp, "values"), j)
			if normalize(vj.Name.Value) == "" {
				return fe.at(joinPath(vp, "name.value"), "slot value is empty")
			}
			v := TypeValue{ID: vj.ID, Name: vj.Name.Value, Synonyms: vj.Name.Synonyms}
			if v.ID == "" {
				v.ID, v.GeneratedID = generatedID(st.Name, v.Name), true
			}
			// The first value to claim a phrase keeps it: Alexa reports one
			// match per authority for the same words in the same order.
			for _, phrase := range append([]string{v.Name}, v.Synonyms...) {
				if k := normalize(phrase); k != "" {
					if _, taken := st.lookup[k]; !taken {
						st.lookup[k] = len(st.Values)
					}
				}
			}
			st.Values = append(st.Values, v)
		}
		m.Types = append(m.Types, st)
		m.typeByName[st.Name] = st
	}
	return nil
}

func (m *Model) compileIntents(fe *fileErrors, intents []intentJSON, path string) error {
	if len(intents) == 0 {
		return fe.at(path, "the model has no intents")
	}
	seen := map[string]string{} // normalized sample → "Intent: sample", across intents
	for i, ij := range intents {
		ip := indexPath(path, i)
		if err := checkName(fe, joinPath(ip, "name"), "intent", ij.Name, m.intentByName[ij.Name] != nil); err != nil {
			return err
		}
		in := &Intent{Name: ij.Name, Samples: ij.Samples, slotSamples: map[string][]*sample{}}
		for j, sj := range ij.Slots {
			sp := indexPath(joinPath(ip, "slots"), j)
			if err := checkName(fe, joinPath(sp, "name"), "slot", sj.Name, in.Slot(sj.Name) != nil); err != nil {
				return err
			}
			if sj.Type == "" {
				return fe.at(joinPath(sp, "type"), "slot %q has no type", sj.Name)
			}
			if !strings.HasPrefix(sj.Type, "AMAZON.") && m.typeByName[sj.Type] == nil {
				return fe.at(joinPath(sp, "type"), "unknown slot type %q (not in languageModel.types, not AMAZON.*)", sj.Type)
			}
			in.Slots = append(in.Slots, &Slot{Name: sj.Name, Type: sj.Type, Samples: sj.Samples})
		}
		for j, text := range ij.Samples {
			spath := indexPath(joinPath(ip, "samples"), j)
			s, err := parseSample(in, text)
			if err != nil {
				return fe.at(spath, "%s", err)
			}
			key := s.key()
			if prev, dup := seen[key]; dup {
				if strings.HasPrefix(prev, in.Name+": ") {
					// The same words in the same intent, e.g. "what's my
					// email" beside "what is my email" once contractions
					// are written out: one sample is enough.
					continue
				}
				return fe.at(spath, "sample %q conflicts with %s", text, prev)
			}
			seen[key] = in.Name + ": " + text
			m.idx.samples = append(m.idx.samples, s)
		}
		for j, sl := range in.Slots {
			for k, text := range sl.Samples {
				spath := indexPath(joinPath(indexPath(joinPath(ip, "slots"), j), "samples"), k)
				s, err := parseSample(in, text)
				if err != nil {
					return fe.at(spath, "%s", err)
				}
				if !s.uses(sl) {
					return fe.at(spath, "slot sample %q does not contain {%s}", text, sl.Name)
				}
				in.slotSamples[sl.Name] = append(in.slotSamples[sl.Name], s)
			}
		}
		if phrases := builtinIntentPhrases[in.Name]; len(phrases) > 0 {
			in.BuiltinPhrases = slices.Clone(phrases)
			for _, text := range phrases {
				s, _ := parseSample(in, text) // literal phrases: cannot fail
				s.builtin = true
				m.idx.samples = append(m.idx.samples, s)
			}
		}
		m.Intents = append(m.Intents, in)
		m.intentByName[in.Name] = in
	}
	return nil
}

func (m *Model) compilePrompts(fe *fileErrors, prompts []promptJSON) error {
	for i, pj := range prompts {
		pp := indexPath("interactionModel.prompts", i)
		if pj.ID == "" {
			return fe.at(joinPath(pp, "id"), "prompt id is empty")
		}
		if m.promptByID[pj.ID] != nil {
			return fe.at(joinPath(pp, "id"), "duplicate prompt id %q", pj.ID)
		}
		if len(pj.Variations) == 0 {
			return fe.at(joinPath(pp, "variations"), "prompt %q has no variations", pj.ID)
		}
		p := &Prompt{ID: pj.ID}
		for j, vj := range pj.Variations {
			if vj.Type != "PlainText" && vj.Type != "SSML" {
				return fe.at(joinPath(indexPath(joinPath(pp, "variations"), j), "type"),
					"variation type %q, want PlainText or SSML", vj.Type)
			}
			p.Variations = append(p.Variations, Variation(vj))
		}
		m.Prompts = append(m.Prompts, p)
		m.promptByID[p.ID] = p
	}
	return nil
}

func (m *Model) compileDialog(fe *fileErrors, dj *dialogJSON) error {
	m.Delegation = dj.Delegation
	checkPrompt := func(path, id string) error {
		if id != "" && m.promptByID[id] == nil {
			return fe.at(path, "unknown prompt id %q", id)
		}
		return nil
	}
	for i, ij := range dj.Intents {
		ip := indexPath("interactionModel.dialog.intents", i)
		in := m.intentByName[ij.Name]
		if in == nil {
			return fe.at(joinPath(ip, "name"), "dialog for unknown intent %q", ij.Name)
		}
		if m.dialogByName[ij.Name] != nil {
			return fe.at(joinPath(ip, "name"), "duplicate dialog for intent %q", ij.Name)
		}
		if err := checkPrompt(joinPath(ip, "prompts.confirmation"), ij.Prompts.Confirmation); err != nil {
			return err
		}
		if ij.ConfirmationRequired && ij.Prompts.Confirmation == "" {
			return fe.at(joinPath(ip, "prompts"), "intent confirmation required but no confirmation prompt")
		}
		d := &DialogIntent{
			Name:                 ij.Name,
			Delegation:           ij.Delegation,
			ConfirmationRequired: ij.ConfirmationRequired,
			ConfirmationPrompt:   ij.Prompts.Confirmation,
		}
		if d.Delegation == "" {
			d.Delegation = m.Delegation
		}
		for j, sj := range ij.Slots {
			sp := indexPath(joinPath(ip, "slots"), j)
			sl := in.Slot(sj.Name)
			if sl == nil {
				return fe.at(joinPath(sp, "name"), "intent %s has no slot %q", in.Name, sj.Name)
			}
			if sj.Type != "" && sj.Type != sl.Type {
				return fe.at(joinPath(sp, "type"), "slot %q is %s in the language model, %s here", sj.Name, sl.Type, sj.Type)
			}
			for _, p := range []struct{ field, id string }{
				{"prompts.elicitation", sj.Prompts.Elicitation},
				{"prompts.confirmation", sj.Prompts.Confirmation},
			} {
				if err := checkPrompt(joinPath(sp, p.field), p.id); err != nil {
					return err
				}
			}
			if sj.ElicitationRequired && sj.Prompts.Elicitation == "" {
				return fe.at(joinPath(sp, "prompts"), "slot %q requires elicitation but has no elicitation prompt", sj.Name)
			}
			if sj.ConfirmationRequired && sj.Prompts.Confirmation == "" {
				return fe.at(joinPath(sp, "prompts"), "slot %q requires confirmation but has no confirmation prompt", sj.Name)
			}
			d.Slots = append(d.Slots, DialogSlot{
				Name:                 sj.Name,
				Type:                 sl.Type,
				ElicitationRequired:  sj.ElicitationRequired,
				ConfirmationRequired: sj.ConfirmationRequired,
				ElicitationPrompt:    sj.Prompts.Elicitation,
				ConfirmationPrompt:   sj.Prompts.Confirmation,
				Validations:          cloneRaw(sj.Validations),
			})
		}
		m.dialogs = append(m.dialogs, d)
		m.dialogByName[d.Name] = d
	}
	return nil
}

func cloneRaw(in []json.RawMessage) []json.RawMessage {
	if len(in) == 0 {
		return nil
	}
	out := make([]json.RawMessage, len(in))
	for i, r := range in {
		out[i] = append(json.RawMessage(nil), r...)
	}
	return out
}
