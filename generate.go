// Package invitekit holds the code generation entry point. The clients live in
// the gen/ packages: gen/ivvy, gen/invitario and gen/alida.
package invitekit

//go:generate go run ./internal/apigen -config specs/ivvy.cfg.yaml -api gen/ivvy/api.gen.go -options gen/ivvy/options.gen.go -enums gen/ivvy/enums.gen.go -subjects gen/ivvy/notify/subjects.gen.go specs/ivvy.yaml
//go:generate go run ./internal/apigen -config specs/alida.cfg.yaml -api gen/alida/api.gen.go -options gen/alida/options.gen.go -bind communityApiKeyName=a.community specs/alida.yaml
//go:generate go run ./internal/apigen -config specs/invitario.cfg.yaml -api gen/invitario/api.gen.go -options gen/invitario/options.gen.go -enums gen/invitario/enums.gen.go specs/invitario.yaml
