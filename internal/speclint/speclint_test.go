package speclint

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/specs"
)

// clean breaks no rule; each case below changes one line of it.
const clean = `openapi: 3.0.3
info:
  title: t
  version: "1"
  license:
    name: Proprietary
  contact:
    name: Support
    url: https://support.example
tags:
  - name: things
paths:
  /things:
    post:
      operationId: addThing
      tags: [things]
      security: []
      x-retry-safe: false
      parameters:
        - name: q
          in: query
          schema:
            type: string
            nullable: true
      requestBody:
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Thing"
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  note:
                    type: string
                    nullable: true
  /other:
    get:
      operationId: getOther
      tags: [things]
      security: []
      x-retry-safe: true
      responses:
        "200":
          description: ok
components:
  schemas:
    Thing:
      type: object
      properties:
        size:
          oneOf:
            - type: integer
              nullable: true
            - type: string
`

func load(t *testing.T, src string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(src))
	require.NoError(t, err)
	return doc
}

func TestCleanDocumentPasses(t *testing.T) {
	assert.Empty(t, Check(load(t, clean)))
}

// Each rule can fail: one change to the clean document, one violation.
func TestEveryRuleCanFail(t *testing.T) {
	for name, tc := range map[string]struct {
		old, new string
		rule, at string
	}{
		"nullable on a schema without type": {
			"              nullable: true\n            - type: string\n", "            - type: string\n          nullable: true\n",
			"nullable", "components.schemas.Thing.properties.size"},
		"nullable on an inline response property without type": {
			"                    type: string\n                    nullable: true\n", "                    nullable: true\n",
			"nullable", "paths./things.post.responses.200.content.application/json.schema.properties.note"},
		"nullable on a parameter schema without type": {
			"            type: string\n            nullable: true\n", "            nullable: true\n",
			"nullable", "paths./things.post.parameters[0].schema"},
		"operation without security": {
			"      tags: [things]\n      security: []\n      x-retry-safe: true\n", "      tags: [things]\n      x-retry-safe: true\n",
			"security", "paths./other.get"},
		"undeclared tag": {
			"      operationId: getOther\n      tags: [things]\n", "      operationId: getOther\n      tags: [stuff]\n",
			"tags", "paths./other.get"},
		"no license": {
			"  license:\n    name: Proprietary\n", "",
			"info", "info.license"},
		"no contact": {
			"  contact:\n    name: Support\n    url: https://support.example\n", "",
			"info", "info.contact"},
		"duplicate operationId": {
			"operationId: getOther", "operationId: addThing",
			"operation-id", "paths./things.post"},
		"no x-retry-safe": {
			"      x-retry-safe: true\n", "",
			"x-retry-safe", "paths./other.get"},
		"x-retry-safe not a boolean": {
			"      x-retry-safe: true\n", "      x-retry-safe: \"yes\"\n",
			"x-retry-safe", "paths./other.get"},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, 1, strings.Count(clean, tc.old), "the change must apply once")
			got := Check(load(t, strings.Replace(clean, tc.old, tc.new, 1)))
			require.Len(t, got, 1, "%v", got)
			assert.Equal(t, tc.rule, got[0].Rule)
			assert.Equal(t, tc.at, got[0].Where)
			assert.Contains(t, got[0].String(), tc.at)
		})
	}
}

// A document with top-level security needs no security per operation.
func TestTopLevelSecurityCoversOperations(t *testing.T) {
	src := strings.ReplaceAll(clean, "      security: []\n", "")
	src = strings.Replace(src, "tags:\n  - name: things\n", "security:\n  - key: []\ntags:\n  - name: things\n", 1)
	src += "  securitySchemes:\n    key:\n      type: apiKey\n      in: header\n      name: X-Key\n"
	assert.Empty(t, Check(load(t, src)))
}

// The project's own specs keep the rules.
func TestProjectSpecsPass(t *testing.T) {
	for _, api := range specs.All() {
		doc, err := specs.Load(api)
		require.NoError(t, err)
		for _, v := range Check(doc) {
			t.Errorf("%s: %s", api.File(), v)
		}
	}
}
