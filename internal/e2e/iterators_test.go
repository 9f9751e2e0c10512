package e2e

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/gen/ivvy"
)

// The operation table names the iterator of every paged list, generated
// (x-collection) or written by hand (x-go-iterator), and each one is a
// method of its package's API that returns an iter.Seq2.
func TestEveryIteratorInTheTableIsAMethod(t *testing.T) {
	for _, pkg := range []struct {
		name string
		api  reflect.Type
		ops  [][2]string
	}{
		{"ivvy", reflect.TypeFor[*ivvy.API](), entries(ivvy.Operations(), func(o ivvy.Operation) (string, string) { return o.ID, o.Iterator })},
		{"alida", reflect.TypeFor[*alida.API](), entries(alida.Operations(), func(o alida.Operation) (string, string) { return o.ID, o.Iterator })},
		{"invitario", reflect.TypeFor[*invitario.API](), entries(invitario.Operations(), func(o invitario.Operation) (string, string) { return o.ID, o.Iterator })},
	} {
		t.Run(pkg.name, func(t *testing.T) {
			n := 0
			for _, op := range pkg.ops {
				if op[1] == "" {
					continue
				}
				n++
				m, ok := pkg.api.MethodByName(op[1])
				if !assert.True(t, ok, "%s: no method %s", op[0], op[1]) {
					continue
				}
				out := m.Type.Out(0).String()
				assert.True(t, strings.HasPrefix(out, "iter.Seq2["), "%s: %s returns %s", op[0], op[1], out)
			}
			require.NotZero(t, n, "every package has a paged list")
		})
	}
}

func entries[O any](ops []O, f func(O) (string, string)) [][2]string {
	out := make([][2]string, len(ops))
	for i, o := range ops {
		out[i][0], out[i][1] = f(o)
	}
	return out
}
