// Command speclint checks OpenAPI documents against the project's rules
// (see package speclint). It prints one line per violation and exits 1 if
// there is any.
//
//	go run ./internal/speclint/cmd/speclint specs/ivvy.yaml specs/invitario.yaml specs/alida.yaml
package main

import (
	"fmt"
	"os"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/invitekit/invitekit/internal/speclint"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: speclint FILE.yaml...")
		os.Exit(2)
	}
	failed := false
	for _, file := range os.Args[1:] {
		doc, err := openapi3.NewLoader().LoadFromFile(file)
		if err != nil {
			fmt.Fprintf(os.Stderr, "speclint: %s: %v\n", file, err)
			failed = true
			continue
		}
		for _, v := range speclint.Check(doc) {
			fmt.Printf("%s: %s\n", file, v)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}
