package smapi

import (
	"net/http"
	"net/url"
	"strings"
)

// operation is one SMAPI operation the fake serves. name is the ask smapi
// command (docs/smapi-contract.md §3); scopes are those that allow it (any
// one, readwrite including read; §4.3 and docs/smapi.md); none means the
// handler checks.
type operation struct {
	name    string
	method  string
	pattern string
	segs    []string
	scopes  []string
	handle  func(*Server, *call) *apiError
}

// operations is the one place where paths meet handlers.
func (s *Server) operations() []*operation {
	const (
		skillStage = "/v1/skills/{skillId}/stages/{stage}"
		model      = skillStage + "/interactionModel/locales/{locale}"
		linking    = skillStage + "/accountLinkingClient"
		enablement = skillStage + "/enablement"
		sims       = "/v2/skills/{skillId}/stages/{stage}/simulations"
	)
	ops := []*operation{
		{name: "get-vendor-list", method: http.MethodGet, pattern: "/v1/vendors", scopes: []string{ScopeSkillsRead}, handle: (*Server).vendors},
		{name: "list-skills-for-vendor", method: http.MethodGet, pattern: "/v1/skills", scopes: []string{ScopeSkillsRead}, handle: (*Server).listSkills},
		{name: "get-skill-manifest", method: http.MethodGet, pattern: skillStage + "/manifest", scopes: []string{ScopeSkillsRead}, handle: (*Server).getManifest},
		{name: "update-skill-manifest", method: http.MethodPut, pattern: skillStage + "/manifest", scopes: []string{ScopeSkillsReadWrite}, handle: (*Server).putManifest},
		{name: "get-interaction-model", method: http.MethodGet, pattern: model, scopes: []string{ScopeModelsRead}, handle: (*Server).getModel},
		{name: "get-interaction-model-metadata", method: http.MethodHead, pattern: model, scopes: []string{ScopeModelsRead}, handle: (*Server).headModel},
		{name: "set-interaction-model", method: http.MethodPut, pattern: model, scopes: []string{ScopeModelsReadWrite}, handle: (*Server).putModel},
		// Which parts a token sees is the handler's choice (docs/smapi.md).
		{name: "get-skill-status", method: http.MethodGet, pattern: "/v1/skills/{skillId}/status", scopes: []string{ScopeSkillsRead, ScopeModelsRead}, handle: (*Server).status},
		{name: "get-account-linking-info", method: http.MethodGet, pattern: linking, scopes: []string{ScopeSkillsReadWrite}, handle: (*Server).getLinking},
		{name: "update-account-linking-info", method: http.MethodPut, pattern: linking, scopes: []string{ScopeSkillsReadWrite}, handle: (*Server).putLinking},
		{name: "delete-account-linking-info", method: http.MethodDelete, pattern: linking, scopes: []string{ScopeSkillsReadWrite}, handle: (*Server).deleteLinking},
		{name: "get-skill-enablement-status", method: http.MethodGet, pattern: enablement, scopes: []string{ScopeSkillsRead, ScopeSkillsTest}, handle: (*Server).getEnablement},
		{name: "set-skill-enablement", method: http.MethodPut, pattern: enablement, scopes: []string{ScopeSkillsReadWrite}, handle: (*Server).putEnablement},
		{name: "delete-skill-enablement", method: http.MethodDelete, pattern: enablement, scopes: []string{ScopeSkillsReadWrite}, handle: (*Server).deleteEnablement},
		{name: "simulate-skill", method: http.MethodPost, pattern: sims, scopes: []string{ScopeSkillsTest}, handle: (*Server).simulate},
		{name: "get-skill-simulation", method: http.MethodGet, pattern: sims + "/{simulationId}", scopes: []string{ScopeSkillsTest}, handle: (*Server).getSimulation},
		{name: "invoke-skill-end-point", method: http.MethodPost, pattern: "/v2/skills/{skillId}/stages/{stage}/invocations", scopes: []string{ScopeSkillsTest}, handle: (*Server).invokeV2},
		{name: "invoke-skill", method: http.MethodPost, pattern: "/v1/skills/{skillId}/invocations", scopes: []string{ScopeSkillsTest}, handle: (*Server).invokeV1},
	}
	for _, op := range ops {
		op.segs = strings.Split(strings.Trim(op.pattern, "/"), "/")
	}
	return ops
}

// Operations lists the ask smapi commands the fake serves, in route
// order.
func (s *Server) Operations() []string {
	out := make([]string, len(s.ops))
	for i, op := range s.ops {
		out[i] = op.name
	}
	return out
}

// match finds the operation for method and an escaped path. With no
// operation for the method, allowed lists the methods the path has.
func (s *Server) match(method, escaped string) (op *operation, params map[string]string, allowed []string) {
	segs := strings.Split(strings.Trim(escaped, "/"), "/")
	for _, o := range s.ops {
		p, ok := matchSegs(o.segs, segs)
		if !ok {
			continue
		}
		if o.method == method {
			return o, p, nil
		}
		allowed = append(allowed, o.method)
	}
	return nil, nil, allowed
}

// matchSegs matches path segments against a pattern; {name} takes one
// whole segment, unescaped.
func matchSegs(pattern, segs []string) (map[string]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, p := range pattern {
		if name, ok := strings.CutPrefix(p, "{"); ok {
			v, err := url.PathUnescape(segs[i])
			if err != nil || v == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[strings.TrimSuffix(name, "}")] = v
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}
