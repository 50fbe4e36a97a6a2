// Package apitoken mints and verifies the apiAccessToken that Alexa puts in
// every request envelope and a skill forwards to the Alexa APIs.
//
//   - Signer mints tokens shaped like Amazon's (RS256, kid "1", aud
//     https://api.amazonalexa.com) whose claims alone tell a fake API server
//     which scopes were granted, for which user and device, and until when
//     (docs/alexa-contract.md §3). Tokens are cached and can be minted ahead
//     (Signer.Prefetch), because an RSA signature costs about a millisecond.
//   - Parse verifies a token and returns its Claims; Decode reads one without
//     trusting it.
//   - The signer's public key is served as a JWKS document or a jwt.Keyfunc;
//     keys are read and written as PEM (LoadKeyFile, EncodeKeyPEM).
package apitoken
