//go:build tools

// This file pins the code generator so that `go generate ./...` builds the
// same oapi-codegen version on every machine. It is never compiled into the
// library.
package invitekit

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
