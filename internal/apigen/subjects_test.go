package main

import (
	"fmt"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const subjectSpec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    ThingAddedNotification:
      type: object
      x-ivvy-subject: ThingAdded
    ThingGoneNotification:
      type: object
      x-ivvy-subject: %s
`

func TestReadSubjects(t *testing.T) {
	load := func(second string) *openapi3.T {
		doc, err := openapi3.NewLoader().LoadFromData([]byte(fmt.Sprintf(subjectSpec, second)))
		require.NoError(t, err)
		codegen.SetGlobalStateSpec(doc) // as codegen.Generate does in run
		return doc
	}
	got, err := readSubjects(load("ThingGone"))
	require.NoError(t, err)
	assert.Equal(t, []subject{{"ThingAdded", "ThingAddedNotification"}, {"ThingGone", "ThingGoneNotification"}}, got)

	_, err = readSubjects(load("ThingAdded"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "schemas ThingAddedNotification and ThingGoneNotification both claim subject ThingAdded")

	_, err = readSubjects(load(`"thing gone"`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "schema ThingGoneNotification: x-ivvy-subject must be a subject name")
}

func TestPackageImportPath(t *testing.T) {
	got, err := packageImportPath("../../gen/ivvy")
	require.NoError(t, err)
	assert.Equal(t, "github.com/invitekit/invitekit/gen/ivvy", got)
	_, err = packageImportPath(t.TempDir())
	require.Error(t, err, "a folder outside any module")
}
