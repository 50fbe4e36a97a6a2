// Package testutil holds the helpers that the tests of several asksim
// packages share: the fixed clock and key behind reproducible envelopes,
// a settable clock, and walking decoded JSON. Only tests import it.
package testutil
