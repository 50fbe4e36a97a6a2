// Package excerpt quotes the start of a body in an error message or a
// report, without cutting a UTF-8 character in half.
package excerpt
