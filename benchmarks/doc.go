// Package benchmarks measures invitekit's hot paths against what a Go user
// would write instead, in the same run on the same machine:
//
//   - BenchmarkSignIvvy: signing an iVvy request with a 1 KiB body, against
//     the floor of that work (an md5 of the body and one HMAC-SHA1 of a
//     string as long as the string to sign);
//   - BenchmarkInviteContacts: one inviteContacts call through ivvy.API over
//     an in-memory transport, against a hand-written net/http and
//     encoding/json call that encodes, signs, sends, decodes and checks for
//     an errorCode in the same way;
//   - BenchmarkInviteMany: inviting 10,000 contacts against the iVvy fake,
//     chunks sent concurrently against one chunk at a time (time) and
//     against a single request for all of them (memory);
//   - BenchmarkGuestList: decoding a 100,000-guest Invitario list with the
//     streaming iterator, against encoding/json into a slice and against
//     github.com/go-faster/jx on the same bytes.
//
// The package holds no code besides its tests. Run it with
//
//	make bench
//
// which prints each ratio against its goal; BENCHMARKS.md explains the
// figures. The tests in the package check, on small inputs, that each
// baseline does the same work as invitekit, so the ratios compare like with
// like.
package benchmarks
