package main

import (
	"go/format"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A method name given twice (an iterator named like another, or like a
// method) is refused at generate time with both owners named, instead of
// producing code that does not compile.
func TestReadOperationsRefusesAMethodNameGivenTwice(t *testing.T) {
	load := func(t *testing.T) (*openapi3.T, openapi3.Operation) {
		doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("..", "..", "specs", "ivvy.yaml"))
		require.NoError(t, err)
		codegen.SetGlobalStateSpec(doc) // as codegen.Generate does in run
		_, err = readOperations(doc, nil)
		require.NoError(t, err, "the spec as it is")
		return doc, *cloneEventList(t, doc)
	}
	for _, tc := range []struct {
		name, iterator, want string
	}{
		{"iterator named like an iterator", "Events", "the method name Events is given twice: the iterator of getEventList (x-collection) and the iterator of getEventListCopy (x-collection)"},
		{"iterator named like a method", "GetEventList", "the method name GetEventList is given twice: the method of getEventList and the iterator of getEventListCopy (x-collection)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, clone := load(t)
			clone.Extensions["x-collection"] = map[string]any{"iterator": tc.iterator, "items": "results"}
			doc.Paths.Set("/api/1.0/event?action=getEventListCopy", &openapi3.PathItem{Post: &clone})
			_, err := readOperations(doc, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// When every operation lists not-found codes, the generated switch has no
// empty case: the code still formats (and so parses).
func TestRenderWhenEveryOperationHasNotFoundCodes(t *testing.T) {
	ops := []*operation{
		{ID: "getThing", GoName: "GetThing", Method: "POST", Path: "/thing", NotFound: []int{404001}},
		{ID: "getOther", GoName: "GetOther", Method: "POST", Path: "/other", NotFound: []int{404002, 404001}},
	}
	src, err := render("things", "things.yaml", ops)
	require.NoError(t, err)
	_, err = format.Source(src)
	require.NoError(t, err, "%s", src)
	assert.Contains(t, string(src), `case "getThing":`)
	assert.NotContains(t, string(src), "case :")
}

// cloneEventList returns a copy of the iVvy spec's getEventList operation
// with the operationId getEventListCopy and extensions of its own.
func cloneEventList(t *testing.T, doc *openapi3.T) *openapi3.Operation {
	t.Helper()
	orig := doc.Paths.Value("/api/1.0/event?action=getEventList")
	require.NotNil(t, orig)
	clone := *orig.Post
	clone.OperationID = "getEventListCopy"
	clone.Extensions = map[string]any{}
	for k, v := range orig.Post.Extensions {
		clone.Extensions[k] = v
	}
	return &clone
}

// x-go-iterator names a hand-written iterator: an exported name, and not
// on an operation whose iterator is generated.
func TestReadOperationsChecksHandIterators(t *testing.T) {
	for _, tc := range []struct {
		name       string
		collection bool
		iterator   any
		want       string
	}{
		{"both", true, "EventsByHand", "an iterator is generated or written by hand, not both"},
		{"unexported", false, "eventsByHand", "x-go-iterator must name an exported method"},
		{"not a string", false, 7, "x-go-iterator must name an exported method"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("..", "..", "specs", "ivvy.yaml"))
			require.NoError(t, err)
			codegen.SetGlobalStateSpec(doc)
			clone := cloneEventList(t, doc)
			delete(clone.Extensions, "x-collection")
			if tc.collection {
				clone.Extensions["x-collection"] = map[string]any{"iterator": "EventsCopy", "items": "results"}
			}
			clone.Extensions["x-go-iterator"] = tc.iterator
			doc.Paths.Set("/api/1.0/event?action=getEventListCopy", &openapi3.PathItem{Post: clone})
			_, err = readOperations(doc, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
