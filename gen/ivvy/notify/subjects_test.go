package notify_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy/notify"
	"github.com/invitekit/invitekit/specs"
)

// The subject table must match the spec: every schema marked with
// x-ivvy-subject, and nothing else, decoding into the type generated from
// that schema.
func TestSubjectTableMatchesTheSpec(t *testing.T) {
	doc, err := specs.Load(specs.Ivvy)
	require.NoError(t, err)
	want := map[string]string{} // subject -> schema name
	for name, ref := range doc.Components.Schemas {
		v, ok := ref.Value.Extensions["x-ivvy-subject"]
		if !ok {
			continue
		}
		subject, _ := v.(string)
		require.NotEmpty(t, subject, "schema %s: x-ivvy-subject is not a string", name)
		require.NotContains(t, want, subject, "two schemas claim subject %s", subject)
		want[subject] = name
	}
	require.NotEmpty(t, want)
	wantSubjects := make([]string, 0, len(want))
	for s := range want {
		wantSubjects = append(wantSubjects, s)
	}
	sort.Strings(wantSubjects)
	assert.Equal(t, wantSubjects, notify.Subjects())
	for subject, schema := range want {
		v, ok := notify.NewBody(subject)
		if !assert.True(t, ok, subject) {
			continue
		}
		typ := reflect.TypeOf(v)
		require.Equal(t, reflect.Pointer, typ.Kind(), subject)
		assert.Equal(t, schema, typ.Elem().Name(), "subject %s", subject)
	}
	_, ok := notify.NewBody("NoSuchSubject")
	assert.False(t, ok)
}
