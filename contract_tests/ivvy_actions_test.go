package contract_tests

import (
	"bufio"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/specs"
)

// documentedActions reads testdata/ivvy-documented-actions.txt: the
// documented "namespace action" pairs, and those keyed by a page's title.
func documentedActions(t *testing.T) (documented, byTitle []string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "ivvy-documented-actions.txt"))
	require.NoError(t, err)
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		require.True(t, len(fields) == 2 || len(fields) == 3 && fields[2] == "by-title",
			"line %d: want \"namespace action\" or \"namespace action by-title\", got %q", line, text)
		key := fields[0] + " " + fields[1]
		require.False(t, seen[key], "line %d: %s is listed twice", line, key)
		seen[key] = true
		if len(fields) == 3 {
			byTitle = append(byTitle, key)
		} else {
			documented = append(documented, key)
		}
	}
	require.NoError(t, sc.Err())
	return documented, byTitle
}

// specActions lists the spec's operations as "namespace action", from
// their path keys (/api/1.0/{namespace}?action={action}).
func specActions(t *testing.T) []string {
	t.Helper()
	doc, err := specs.Load(specs.Ivvy)
	require.NoError(t, err)
	var out []string
	for key, item := range doc.Paths.Map() {
		path, query, _ := strings.Cut(key, "?")
		q, err := url.ParseQuery(query)
		require.NoError(t, err, key)
		namespace, ok := strings.CutPrefix(path, "/api/1.0/")
		require.True(t, ok && q.Get("action") != "", "path %s is not /api/1.0/{namespace}?action={action}", key)
		for range item.Operations() {
			out = append(out, namespace+" "+q.Get("action"))
		}
	}
	sort.Strings(out)
	return out
}

// The spec has every documented action (and the two keyed by title), and
// nothing the documentation does not list.
func TestIvvySpecCoversTheDocumentedActions(t *testing.T) {
	documented, byTitle := documentedActions(t)
	want := append(append([]string{}, documented...), byTitle...)
	sort.Strings(want)
	got := specActions(t)
	inSpec := map[string]bool{}
	for _, a := range got {
		inSpec[a] = true
	}
	listed := map[string]bool{}
	for _, a := range want {
		listed[a] = true
		assert.True(t, inSpec[a], "documented action %s is not in specs/ivvy.yaml", a)
	}
	for _, a := range got {
		assert.True(t, listed[a], "specs/ivvy.yaml has %s, which the documented list does not", a)
	}
	assert.Len(t, got, len(want), "the spec has an action twice")
}

var supportedCount = regexp.MustCompile(`(\d+) of (\d+) documented actions`)

// The README's count of supported actions is checked, not trusted.
func TestReadmeCountsTheSupportedActions(t *testing.T) {
	documented, _ := documentedActions(t)
	inSpec := map[string]bool{}
	for _, a := range specActions(t) {
		inSpec[a] = true
	}
	supported := 0
	for _, a := range documented {
		if inSpec[a] {
			supported++
		}
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	m := supportedCount.FindAllSubmatch(readme, -1)
	require.NotEmpty(t, m, "the README states no \"N of M documented actions\"")
	for _, sub := range m {
		n, _ := strconv.Atoi(string(sub[1]))
		of, _ := strconv.Atoi(string(sub[2]))
		assert.Equal(t, supported, n, "README: %s: the spec has %d documented actions", sub[0], supported)
		assert.Equal(t, len(documented), of, "README: %s: the documentation has %d actions", sub[0], len(documented))
	}
}
