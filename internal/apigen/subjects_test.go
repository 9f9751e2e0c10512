package main

import (
	"fmt"
	"os"
	"path/filepath"
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

// The table is written for the package in the output's folder (named by
// its package clause), importing the API package by its import path and
// naming it by its package name.
func TestRenderSubjects(t *testing.T) {
	src, err := renderSubjects("../../gen/ivvy/notify/subjects.gen.go", "../../gen/ivvy", "ivvy", "specs/ivvy.yaml",
		[]subject{{"ThingAdded", "ThingAddedNotification"}})
	require.NoError(t, err)
	for _, want := range []string{
		"package notify\n",
		`import "github.com/invitekit/invitekit/gen/ivvy"`,
		`"ThingAdded": func() any { return new(ivvy.ThingAddedNotification) },`,
	} {
		assert.Contains(t, string(src), want)
	}
	empty := filepath.Join(t.TempDir(), "hooks")
	require.NoError(t, os.Mkdir(empty, 0o755))
	src, err = renderSubjects(filepath.Join(empty, "x.gen.go"), "../../gen/ivvy", "ivvy", "s", nil)
	require.NoError(t, err)
	assert.Contains(t, string(src), "package hooks\n", "a folder without Go files is named after itself")
}

func TestPackageNameAndModulePath(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("// a comment\nmodule example.com/m // the module\n\ngo 1.25\n"), 0o644))
	sub := filepath.Join(dir, "some-folder")
	require.NoError(t, os.Mkdir(sub, 0o755))
	got, err := packageImportPath(sub)
	require.NoError(t, err)
	assert.Equal(t, "example.com/m/some-folder", got, "a comment on the module line is not part of the path")
	_, err = packageName(sub)
	require.Error(t, err, "some-folder is not a package name and no file names one")
	require.NoError(t, os.WriteFile(filepath.Join(sub, "doc.go"), []byte("// Package things.\npackage things\n"), 0o644))
	name, err := packageName(sub)
	require.NoError(t, err)
	assert.Equal(t, "things", name)
}

func TestPackageImportPath(t *testing.T) {
	got, err := packageImportPath("../../gen/ivvy")
	require.NoError(t, err)
	assert.Equal(t, "github.com/invitekit/invitekit/gen/ivvy", got)
	_, err = packageImportPath(t.TempDir())
	require.Error(t, err, "a folder outside any module")
}
