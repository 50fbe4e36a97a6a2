package features

// Unescape is unescape, for the external tests.
var Unescape = unescape
