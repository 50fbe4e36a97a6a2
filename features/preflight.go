package features

import "context"

// preflight checks, before anything runs, what the features need of the
// configuration.
func (s *Suite) preflight(ctx context.Context, sel *selection) error { return nil }
