// Package alexa is the one table of Alexa's permission scopes: the runtime
// scopes that consent cards, apiAccessTokens and the Alexa APIs use, the
// short names asksim accepts for them, and the names skill.json declares
// them under (docs/alexa-contract.md §4).
package alexa
