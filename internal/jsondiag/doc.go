// Package jsondiag words what goes wrong in JSON for error messages: the
// kind of a value ("got an array"), where a decoding error lies (line and
// column) and what it means. The simulator, the model loader and the fakes
// all report bad JSON; this is their one copy of it.
package jsondiag
