package features

// Unescape is unescape, for the external tests.
var Unescape = unescape

// UnmatchedArgChecks is unmatchedArgChecks, for the external tests.
var UnmatchedArgChecks = unmatchedArgChecks
