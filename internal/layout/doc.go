// Package layout states which asksim package may import which, and its
// test holds the repository to it. The packages form a DAG, listed from
// the leaves up (imports of non-test files, transitively):
//
//   - simulator/alexa, simulator/apitoken, simulator/link and
//     simulator/signing import no asksim package.
//   - simulator/model imports simulator/alexa.
//   - simulator imports simulator/alexa, simulator/apitoken,
//     simulator/model and simulator/signing, never fakes.
//   - simulator/voice imports simulator and simulator/model.
//   - fakes/* import no part of the simulator but simulator/alexa and
//     simulator/apitoken.
//   - features/report (a run's results and the reports written from them)
//     and features/projectconfig (the asksim.yaml file) import no asksim
//     package.
//   - features imports any of the above; cmd/* import anything.
//   - fixtures/* are skills and data: they import no simulator, fake or
//     feature package.
//   - internal/* helpers import no asksim package, and any package may use
//     them; internal/testutil is the exception on both counts: it may
//     import anything, and only tests import it.
//   - internal/smapisim is where the SMAPI fake meets the simulator: it
//     implements fakes/smapi's Backend with simulator/..., and serves it
//     beside fakes/oauth's Login with Amazon, so it imports those; the
//     fakes may not import it (it would bring the simulator in), features
//     and cmd/* may.
//
// Besides, every package has a package comment, and none holds more than
// MaxLines lines of non-test Go.
package layout

// MaxLines is the most lines of non-test Go one package may hold.
const MaxLines = 5000
