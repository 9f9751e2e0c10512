// Package contract_tests holds the contract tests: every recorded fixture
// under testdata/<api>/<operationId>/ is validated against its OpenAPI spec
// and decoded into the generated Go types. It has no non-test code.
//
// A negative fixture ("invalid": "request" or "response") must fail
// validation in the message it names, and must also say where, in
// "invalidAt" (the format is described on fixtures.Fixture): a JSON
// pointer into that message's body, "" for the body as a whole, or
// "<in>/<name>" for a request parameter, such as "query/limit". The rule
// (fixtures.CheckLocations) is that every problem the validator reports
// lies at invalidAt or inside it, and that invalidAt is the deepest place
// holding them all: "/items" fits problems at "/items/2/id" and
// "/items/3/id", but not a lone one at "/items/3/id", which it must then
// name; "" (the body as a whole) fits only problems of the whole body. One
// reported problem elsewhere fails the fixture, so a negative fixture that
// also breaks the spec somewhere else by mistake, or that breaks a field
// other than the one it is about, is caught rather than passing on the
// wrong error.
// The other message must fit the spec: the answer to a request marked
// invalid, and the request of an answer marked invalid. A negative fixture
// without invalidAt fails, as does a valid one with it.
//
// The notification payloads under testdata/ivvy-notifications follow the
// same rule: a negative one ("invalid": true) gives "invalidAt", a JSON
// pointer into its body.
package contract_tests
