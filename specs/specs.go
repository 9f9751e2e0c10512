// Package specs embeds the OpenAPI documents of the three APIs, for the
// fakes, the contract tests and the spec checks. The client packages under
// gen/ never import it: each carries the copy its code was generated from.
package specs

import (
	"embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed ivvy.yaml invitario.yaml alida.yaml
var files embed.FS

// API names one of the specs.
type API string

// The APIs with a spec.
const (
	Ivvy      API = "ivvy"
	Invitario API = "invitario"
	Alida     API = "alida"
)

// All returns every API with a spec.
func All() []API { return []API{Ivvy, Invitario, Alida} }

// File returns the spec's file name in this directory.
func (a API) File() string { return string(a) + ".yaml" }

// YAML returns the spec of api as written.
func YAML(api API) ([]byte, error) {
	b, err := files.ReadFile(api.File())
	if err != nil {
		return nil, fmt.Errorf("specs: no spec for API %q", string(api))
	}
	return b, nil
}

// Load parses the spec of api with kin-openapi (it has no external
// references). Every call returns a new document, which the caller may
// change.
func Load(api API) (*openapi3.T, error) {
	b, err := YAML(api)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, fmt.Errorf("specs: %s: %w", api.File(), err)
	}
	return doc, nil
}

// MustLoad is Load for specs known to parse (they are checked by this
// package's tests); it panics otherwise.
func MustLoad(api API) *openapi3.T {
	doc, err := Load(api)
	if err != nil {
		panic(err)
	}
	return doc
}
