package features

// Unescape is unescape, for the external tests.
var Unescape = unescape

// UnmatchedArgChecks is unmatchedArgChecks, for the external tests.
var UnmatchedArgChecks = unmatchedArgChecks

// QuoteArg is quoteArg, for the external tests.
var QuoteArg = quoteArg
