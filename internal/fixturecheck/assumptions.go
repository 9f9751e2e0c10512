// Package fixturecheck validates fixture files (recorded with package
// record or written by hand, in the contract tests' format) against the
// specs, and says which of the specs' x-assumption markers the recorded
// data confirms or contradicts. It backs "invitekit fixtures check" and
// "invitekit specs assumptions", and runs over contract_tests/testdata in
// the tests.
package fixturecheck

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/invitekit/invitekit/specs"
)

// Assumption is one x-assumption marker of a spec.
type Assumption struct {
	API string `json:"api"`
	// Location is the JSON pointer, into the spec, of the object that
	// carries the marker (an operation, response, schema or property).
	Location string `json:"location"`
	Reason   string `json:"reason"`
}

// Assumptions lists the x-assumption markers of the three specs, in the
// order they are written.
func Assumptions() ([]Assumption, error) {
	var out []Assumption
	for _, api := range specs.All() {
		b, err := specs.YAML(api)
		if err != nil {
			return nil, err
		}
		var root yaml.Node
		if err := yaml.Unmarshal(b, &root); err != nil {
			return nil, fmt.Errorf("%s: %w", api.File(), err)
		}
		walkYAML(&root, "", func(loc, reason string) {
			out = append(out, Assumption{API: string(api), Location: loc, Reason: reason})
		})
	}
	return out, nil
}

func walkYAML(n *yaml.Node, loc string, found func(loc, reason string)) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkYAML(c, loc, found)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "x-assumption" {
				reason := v.Value
				if v.Kind != yaml.ScalarNode {
					b, _ := yaml.Marshal(v)
					reason = strings.TrimSpace(string(b))
				}
				found(pointerOr(loc), strings.Join(strings.Fields(reason), " "))
				continue
			}
			walkYAML(v, loc+"/"+escape(k.Value), found)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			walkYAML(c, loc+"/"+strconv.Itoa(i), found)
		}
	}
}

func pointerOr(loc string) string {
	if loc == "" {
		return "/"
	}
	return loc
}

func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
