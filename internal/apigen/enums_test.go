package main

import (
	"fmt"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enumSpec is a small spec with one open enum, Color, used by the schema
// Paint. The tests below break it in one place each.
const enumSpec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Paint:
      type: object
      properties:
        color:
          type: integer
          x-go-type: Color
          %s
x-go-enums:
  Color:
    type: %s
    description: is a colour.
    values:
      - {value: 1, name: Red, label: Red}
      - {value: %s, name: %s, label: %s}
`

func loadEnumSpec(t *testing.T, prop, typ, value, name, label string) *openapi3.T {
	t.Helper()
	src := []byte(fmt.Sprintf(enumSpec, prop, typ, value, name, label))
	doc, err := openapi3.NewLoader().LoadFromData(src)
	require.NoError(t, err)
	return doc
}

func TestReadEnums(t *testing.T) {
	doc := loadEnumSpec(t, "enum: [2]", "integer", "2", "Green", "Green")
	enums, err := readEnums(doc)
	require.NoError(t, err)
	require.Len(t, enums, 1)
	src, err := renderEnums("paint", "paint.yaml", enums)
	require.NoError(t, err)
	for _, want := range []string{
		"type Color int",
		"ColorGreen Color = 2",
		`return "Green"`,
		`"Color(" + strconv.Itoa(int(c)) + ")"`,
		"func (c *Color) UnmarshalJSON(b []byte) error",
	} {
		assert.Contains(t, string(src), want)
	}
}

// Each broken spec is refused with an error that names what is wrong.
func TestReadEnumsRefuses(t *testing.T) {
	for _, tc := range []struct {
		name                            string
		prop, typ, value, goName, label string
		want                            string
	}{
		{"undocumented listed value", "enum: [3]", "integer", "2", "Green", "Green", "lists 3, which x-go-enums.Color does not document"},
		{"value used twice", "", "integer", "1", "Green", "Green", "value 1 is used twice"},
		{"name used twice", "", "integer", "2", "Red", "Green", "name Red is used twice"},
		{"unexported name", "", "integer", "2", "green", "Green", `name "green" is not an exported Go name`},
		{"no label", "", "integer", "2", "Green", `""`, "label is required"},
		{"not an integer", "", "integer", "2.5", "Green", "Green", "value 2.5 is not a 32-bit integer"},
		{"unknown type", "", "number", "2", "Green", "Green", `type is "number"`},
		{"beyond 32 bits", "", "integer", "4294967296", "Green", "Green", "value 4294967296 is not a 32-bit integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := loadEnumSpec(t, tc.prop, tc.typ, tc.value, tc.goName, tc.label)
			_, err := readEnums(doc)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	t.Run("type mismatch", func(t *testing.T) {
		doc := loadEnumSpec(t, "", "integer", "2", "Green", "Green")
		doc.Components.Schemas["Paint"].Value.Properties["color"].Value.Type = &openapi3.Types{"string"}
		_, err := readEnums(doc)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "#/components/schemas/Paint/properties/color: x-go-type Color is an enum of type integer, but the schema's type is")
	})
	t.Run("no description", func(t *testing.T) {
		doc := loadEnumSpec(t, "", "integer", "2", "Green", "Green")
		doc.Extensions["x-go-enums"].(map[string]any)["Color"].(map[string]any)["description"] = " "
		_, err := readEnums(doc)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "description is required")
	})
	t.Run("string enum on an integer", func(t *testing.T) {
		doc := loadEnumSpec(t, "", "string", `"2"`, "Green", "Green")
		color := doc.Extensions["x-go-enums"].(map[string]any)["Color"].(map[string]any)
		color["values"] = []any{map[string]any{"value": "r", "name": "Red", "label": "Red"}}
		_, err := readEnums(doc)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "x-go-type Color is an enum of type string, but the schema's type is")
	})
	t.Run("unused enum", func(t *testing.T) {
		doc := loadEnumSpec(t, "", "integer", "2", "Green", "Green")
		delete(doc.Components.Schemas["Paint"].Value.Properties["color"].Value.Extensions, "x-go-type")
		_, err := readEnums(doc)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "x-go-enums.Color: no schema uses it")
	})
	t.Run("unknown key", func(t *testing.T) {
		doc := loadEnumSpec(t, "", "integer", "2", "Green", "Green")
		doc.Extensions["x-go-enums"].(map[string]any)["Color"].(map[string]any)["labels"] = true
		_, err := readEnums(doc)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `unknown field "labels"`)
	})
}

// A schema that takes an enum is checked wherever it sits: a response
// header, a parameter given by content, a shared response.
func TestReadEnumsChecksEveryPlaceASchemaLives(t *testing.T) {
	const spec = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things:
    get:
      parameters:
        - name: filter
          in: query
          content:
            application/json:
              schema: {type: string, x-go-type: Color}
      responses:
        "200":
          description: ok
          headers:
            X-Color:
              schema: {type: string, x-go-type: Color}
        default:
          $ref: "#/components/responses/Oops"
components:
  responses:
    Oops:
      description: oops
      content:
        application/json:
          schema: {type: string, x-go-type: Color}
x-go-enums:
  Color:
    type: integer
    description: is a colour.
    values:
      - {value: 1, name: Red, label: Red}
`
	doc, err := openapi3.NewLoader().LoadFromData([]byte(spec))
	require.NoError(t, err)
	_, err = readEnums(doc)
	require.Error(t, err)
	for _, where := range []string{
		"/things GET/parameters/filter/content/application/json/schema",
		"/things GET 200/headers/X-Color/schema",
		"#/components/responses/Oops/content/application/json/schema",
	} {
		assert.Contains(t, err.Error(), where+": x-go-type Color is an enum of type integer")
	}
	assert.NotContains(t, err.Error(), "no schema uses it")
}
