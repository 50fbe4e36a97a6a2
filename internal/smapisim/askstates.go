package smapisim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// ASKStatesFile is where an ASK CLI project records its skill id, per
// profile, relative to the project root.
const ASKStatesFile = ".ask/ask-states.json"

// The profiles ProjectSkillID prefers: the CLI's default profile, then
// its environment profile (docs/smapi-contract.md §5 item 11).
var preferredProfiles = []string{"default", "__ENVIRONMENT_ASK_PROFILE__"}

// ProjectSkillID returns the skill id recorded in dir's
// .ask/ask-states.json: profiles.default.skillId, else the environment
// profile's, else the only profile's that has one. found is false when the
// project has no such file.
func ProjectSkillID(dir string) (id string, found bool, err error) {
	name := filepath.Join(dir, filepath.FromSlash(ASKStatesFile))
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	id, err = ParseASKStates(data, name)
	return id, true, err
}

// ParseASKStates reads the skill id from the contents of an
// ask-states.json; name is the file in errors.
func ParseASKStates(data []byte, name string) (string, error) {
	var states struct {
		Profiles map[string]struct {
			SkillID string `json:"skillId"`
		} `json:"profiles"`
	}
	if err := json.Unmarshal(data, &states); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	for _, p := range preferredProfiles {
		if id := states.Profiles[p].SkillID; id != "" {
			return id, nil
		}
	}
	var withID []string
	for p, v := range states.Profiles {
		if v.SkillID != "" {
			withID = append(withID, p)
		}
	}
	slices.Sort(withID)
	switch len(withID) {
	case 0:
		return "", fmt.Errorf("%s: no profile has a skillId (profiles.<profile>.skillId)", name)
	case 1:
		return states.Profiles[withID[0]].SkillID, nil
	}
	return "", fmt.Errorf("%s: profiles %v have skill ids and none is \"default\"; choose one with --skill-id", name, withID)
}
