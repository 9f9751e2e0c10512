// Package invitekit holds the code generation entry point. The clients live in
// the gen/ packages: gen/ivvy, gen/invitario and gen/alida.
package invitekit

//go:generate go run ./internal/apigen -config specs/ivvy.cfg.yaml -api gen/ivvy/api.gen.go specs/ivvy.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/alida.cfg.yaml specs/alida.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config specs/invitario.cfg.yaml specs/invitario.yaml
