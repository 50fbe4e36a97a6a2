package smapi

import (
	"slices"
	"strings"
)

// The SMAPI scopes of Login with Amazon tokens (docs/smapi-contract.md
// §4.3). A readwrite scope includes its read scope.
const (
	ScopeSkillsRead        = "alexa::ask:skills:read"
	ScopeSkillsReadWrite   = "alexa::ask:skills:readwrite"
	ScopeModelsRead        = "alexa::ask:models:read"
	ScopeModelsReadWrite   = "alexa::ask:models:readwrite"
	ScopeSkillsTest        = "alexa::ask:skills:test"
	ScopeCatalogsRead      = "alexa::ask:catalogs:read"
	ScopeCatalogsReadWrite = "alexa::ask:catalogs:readwrite"
	ScopeSubscriptions     = "alexa::ask:subscriptions"
	ScopeSkillsDebug       = "alexa::ask:skills:debug"
)

// Scopes lists every SMAPI scope, the set an ASK_REFRESH_TOKEN for the
// whole API holds.
func Scopes() []string {
	return []string{ScopeSkillsRead, ScopeSkillsReadWrite, ScopeModelsRead, ScopeModelsReadWrite, ScopeSkillsTest,
		ScopeCatalogsRead, ScopeCatalogsReadWrite, ScopeSubscriptions, ScopeSkillsDebug}
}

// grants reports whether a token holding have may use an operation that
// needs scope: have holds it, or its readwrite form when scope is a read.
func grants(have []string, scope string) bool {
	if slices.Contains(have, scope) {
		return true
	}
	if base, ok := strings.CutSuffix(scope, ":read"); ok {
		return slices.Contains(have, base+":readwrite")
	}
	return false
}

// grantsAny reports whether have grants one of scopes.
func grantsAny(have []string, scopes []string) bool {
	for _, s := range scopes {
		if grants(have, s) {
			return true
		}
	}
	return false
}
