// Package e2e holds the cross-API tests of invitekit: the iVvy, Invitario
// and Alida clients and the invitekit command driven against the fakes,
// through the fault injector of internal/faults.
//
// The fault tests check that safe operations survive fewer faults than they
// have attempts, that unsafe ones reach the server exactly once and report
// an unknown outcome when the connection fails after the request was sent,
// that rate limiting exposes the retry delay, that cancellation returns
// promptly and that no goroutine outlives a test. The canary tests plant
// secrets in the fakes, drive every operation through successes, errors,
// retries and a redirect to another host, and look for the secrets in every
// error, log record and line of command output.
//
// The package has no code of its own outside its tests.
package e2e
