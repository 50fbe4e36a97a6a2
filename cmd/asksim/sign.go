package main

import (
	"fmt"
	"strings"

	"github.com/asksim/asksim/simulator"
	"github.com/asksim/asksim/simulator/signing"
	"github.com/spf13/pflag"
)

// signFlags are the request-signing flags of 'test' and 'send'.
type signFlags struct {
	sign     bool
	fault    string
	addr     string
	caFile   string
	unsigned bool // --no-signature: deprecated, signing is off by default
}

func faultNames() string {
	var names []string
	for _, f := range signing.Faults() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// register adds the flags; withFault adds --sign-fault, which only 'send'
// has (a run of features chooses faults per scenario, by steps).
func (f *signFlags) register(fs *pflag.FlagSet, withFault bool) {
	fs.BoolVar(&f.sign, "sign", false, "sign requests as Alexa does (Signature-256, Signature, SignatureCertChainUrl) with a local certificate chain served over HTTPS on loopback; see docs/request-signing.md")
	fs.StringVar(&f.addr, "sign-addr", "", "HOST:PORT the signing chain is served on, for a skill whose verifier must know its URL in advance (default 127.0.0.1, a free port)")
	fs.StringVar(&f.caFile, "sign-ca", "", "write the signing root CA certificate (PEM) to this file before any request, for the skill's verifier to trust")
	if withFault {
		fs.StringVar(&f.fault, "sign-fault", "", "sign with a fault a verifier must refuse: "+faultNames()+" (implies --sign; exit 0 when the skill refuses with HTTP 4xx)")
	}
	fs.BoolVar(&f.unsigned, "no-signature", false, "deprecated, does nothing: requests are unsigned unless --sign is given")
	_ = fs.MarkDeprecated("no-signature", "requests are unsigned unless --sign is given")
}

// check validates the flags and returns the fault. needSign makes
// --sign-addr and --sign-ca without signing a usage error ('send' has no
// scenario that could turn signing on).
func (f *signFlags) check(st *stdio, needSign bool) (signing.Fault, error) {
	fault, err := signing.ParseFault(f.fault)
	if err != nil {
		return "", usagef("--sign-fault: %v", err)
	}
	on := f.sign || fault != signing.FaultNone
	switch {
	case f.unsigned && on:
		return "", usagef("--no-signature contradicts --sign and --sign-fault (requests are unsigned unless --sign is given; drop --no-signature)")
	case f.unsigned:
		fmt.Fprintf(st.err, "%s: --no-signature is deprecated and does nothing: requests are unsigned unless --sign is given\n", programName)
	case needSign && !on && (f.addr != "" || f.caFile != ""):
		return "", usagef("--sign-addr and --sign-ca need --sign or --sign-fault")
	}
	return fault, nil
}

// authority starts the signing chain's server and writes its root where
// --sign-ca asks; the caller must Close it.
func (f *signFlags) authority() (*signing.Authority, error) {
	a, err := signing.New(signing.Options{Addr: f.addr})
	if err != nil {
		return nil, usagef("--sign-addr: %v", err)
	}
	if f.caFile != "" {
		if err := a.WriteRootFile(f.caFile); err != nil {
			a.Close()
			return nil, usagef("--sign-ca: %v", err)
		}
	}
	return a, nil
}

// options returns the simulator options that sign as the flags say, with
// a, or none when a is nil.
func (f *signFlags) options(a *signing.Authority, fault signing.Fault) []simulator.Option {
	if a == nil {
		return nil
	}
	opts := []simulator.Option{simulator.WithRequestSigner(a), simulator.WithRequestSigning(true)}
	if fault != signing.FaultNone {
		opts = append(opts, simulator.WithSigningFault(fault))
	}
	return opts
}
