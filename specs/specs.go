// Package specs embeds the OpenAPI documents of the three APIs, for the
// fakes, the contract tests, the command line's request checks and the
// optional drift guard. The client packages never import it: they carry
// what they need of the specs as generated code.
package specs

import (
	"embed"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// The APIs, by the name of their spec file.
const (
	Ivvy      = "ivvy"
	Invitario = "invitario"
	Alida     = "alida"
)

//go:embed ivvy.yaml invitario.yaml alida.yaml
var files embed.FS

// Names lists the APIs whose specs are embedded.
func Names() []string { return []string{Ivvy, Invitario, Alida} }

// Bytes returns the YAML of an API's spec.
func Bytes(api string) ([]byte, error) {
	b, err := files.ReadFile(api + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("specs: no spec for API %q", api)
	}
	return b, nil
}

var (
	mu     sync.Mutex
	loaded = map[string]*openapi3.T{}
)

// Load returns an API's spec, loaded and validated once and then shared:
// callers must not change it.
func Load(api string) (*openapi3.T, error) {
	mu.Lock()
	defer mu.Unlock()
	if doc, ok := loaded[api]; ok {
		return doc, nil
	}
	doc, err := Parse(api)
	if err != nil {
		return nil, err
	}
	loaded[api] = doc
	return doc, nil
}

// Parse loads and validates a fresh copy of an API's spec, which the caller
// may change.
func Parse(api string) (*openapi3.T, error) {
	b, err := Bytes(api)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, fmt.Errorf("specs: %s: %w", api, err)
	}
	if err := doc.Validate(openapi3.NewLoader().Context); err != nil {
		return nil, fmt.Errorf("specs: %s: %w", api, err)
	}
	return doc, nil
}
