package simulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/asksim/asksim/internal/jsondiag"
)

// A schema node: the JSON kind a field must have and, for objects and
// arrays, what they hold. Fields it does not list may hold anything.
type schema struct {
	kind   string // a jsondiag kind: String, Boolean, Object or Array
	fields map[string]*schema
	values *schema // the value of every key of a map-like object
	elem   *schema // array elements
}

var (
	sString = &schema{kind: jsondiag.String}
	sBool   = &schema{kind: jsondiag.Boolean}
	sAny    = &schema{kind: jsondiag.Object}
)

func obj(fields map[string]*schema) *schema { return &schema{kind: jsondiag.Object, fields: fields} }

// responseSchema is the types of the response envelope's known fields
// (docs/alexa-contract.md §6.1).
var responseSchema = func() *schema {
	speech := obj(map[string]*schema{"type": sString, "text": sString, "ssml": sString, "playBehavior": sString})
	directives := &schema{kind: jsondiag.Array, elem: obj(map[string]*schema{"type": sString})}
	return obj(map[string]*schema{
		"version":           sString,
		"sessionAttributes": sAny,
		"userAgent":         sString,
		"response": obj(map[string]*schema{
			"outputSpeech": speech,
			"reprompt":     obj(map[string]*schema{"outputSpeech": speech, "directives": directives}),
			"card": obj(map[string]*schema{
				"type": sString, "title": sString, "content": sString, "text": sString,
				"image":       obj(map[string]*schema{"smallImageUrl": sString, "largeImageUrl": sString}),
				"permissions": {kind: jsondiag.Array, elem: sString},
			}),
			"directives":       directives,
			"shouldEndSession": sBool,
			"canFulfillIntent": obj(map[string]*schema{
				"canFulfill": sString,
				"slots": {kind: jsondiag.Object, values: obj(map[string]*schema{
					"canUnderstand": sString, "canFulfill": sString,
				})},
			}),
		}),
	})
}()

// checkTypes reports, as RuleJSON, every value of raw whose JSON kind is not
// the schema's. null passes everywhere: Alexa reads it as absent. It runs
// only after the typed decode found a mismatch, so its cost is paid by
// broken answers alone.
func checkTypes(raw []byte, add func(rule, path, msg string)) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return
	}
	walkTypes(v, responseSchema, "", add)
}

func walkTypes(v any, s *schema, path string, add func(rule, path, msg string)) {
	if v == nil {
		return
	}
	if got := jsondiag.Kind(v); got != s.kind {
		add(RuleJSON, path, fmt.Sprintf("want a JSON %s, got %s", s.kind, got))
		return
	}
	join := func(k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	switch node := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(node)) { // a stable report
			fv := node[k]
			if fs, ok := s.fields[k]; ok {
				walkTypes(fv, fs, join(k), add)
			} else if s.values != nil {
				walkTypes(fv, s.values, join(k), add)
			}
		}
	case []any:
		if s.elem != nil {
			for i, ev := range node {
				walkTypes(ev, s.elem, join(strconv.Itoa(i)), add)
			}
		}
	}
}
