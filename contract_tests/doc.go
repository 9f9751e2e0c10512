// Package contract_tests holds the contract tests: every recorded fixture
// under testdata/<api>/<operationId>/ is validated against its OpenAPI spec
// and decoded into the generated Go types. It has no non-test code.
package contract_tests
