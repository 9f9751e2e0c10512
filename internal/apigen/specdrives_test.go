package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
)

// The spec drives the client: an operation added to a copy of the iVvy spec
// (a clone of getEventList under a new path, operationId and iterator
// name) gets, from the generator alone, a typed method and an iterator that
// a program can call, and a value added to an enum (x-go-enums) gets its
// constant and label. No Go is written for them: the program below is only
// the caller.
//
// The copy of gen/ivvy is built with go's -overlay, so it sits inside the
// module (it needs the internal packages) without touching the tree.
func TestAnOperationAddedToTheSpecIsCallable(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds a copy of gen/ivvy")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	tmp := t.TempDir()

	// 1. A copy of the spec with one more operation.
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join(root, "specs", "ivvy.yaml"))
	require.NoError(t, err)
	orig := doc.Paths.Value("/api/1.0/event?action=getEventList")
	require.NotNil(t, orig)
	clone := *orig.Post
	clone.OperationID = "getEventListCopy"
	clone.Extensions = map[string]any{}
	for k, v := range orig.Post.Extensions {
		clone.Extensions[k] = v
	}
	clone.Extensions["x-collection"] = map[string]any{"iterator": "EventsCopy", "items": "results"}
	doc.Paths.Set("/api/1.0/event?action=getEventListCopy", &openapi3.PathItem{Post: &clone})
	// The copy is of the API package alone: the notification subject table
	// (x-ivvy-subject) belongs to gen/ivvy/notify, which is not copied.
	for _, s := range doc.Components.Schemas {
		delete(s.Value.Extensions, "x-ivvy-subject")
	}
	// ... and one more documented event status.
	status := doc.Extensions["x-go-enums"].(map[string]any)["EventStatus"].(map[string]any)
	status["values"] = append(status["values"].([]any),
		map[string]any{"value": 2, "name": "Archived", "label": "Archived"})
	specJSON, err := json.Marshal(doc)
	require.NoError(t, err)
	spec := filepath.Join(tmp, "ivvy.json")
	require.NoError(t, os.WriteFile(spec, specJSON, 0o644))

	// 2. Generate, as go generate does, into temporary files.
	cfg := filepath.Join(tmp, "ivvy.cfg.yaml")
	models := filepath.Join(tmp, "models.gen.go")
	cfgText, err := os.ReadFile(filepath.Join(root, "specs", "ivvy.cfg.yaml"))
	require.NoError(t, err)
	cfgText = []byte(strings.Replace(string(cfgText), "output: gen/ivvy/models.gen.go", "output: "+models, 1))
	require.NoError(t, os.WriteFile(cfg, cfgText, 0o644))
	api := filepath.Join(tmp, "api.gen.go")
	options := filepath.Join(tmp, "options.gen.go")
	enums := filepath.Join(tmp, "enums.gen.go")
	require.NoError(t, run(cfg, api, enums, "", spec, nil))
	require.NoError(t, runOptions(cfg, options))

	// 3. Overlay: the hand-written files of gen/ivvy plus the new generated
	// ones as package gen/ivvycopy, and a program that calls the new
	// method and iterator against a server that knows the new action.
	copyDir := filepath.Join(root, "gen", "ivvycopy")
	replace := map[string]string{
		filepath.Join(copyDir, "models.gen.go"):  models,
		filepath.Join(copyDir, "api.gen.go"):     api,
		filepath.Join(copyDir, "options.gen.go"): options,
		filepath.Join(copyDir, "enums.gen.go"):   enums,
	}
	hand, err := filepath.Glob(filepath.Join(root, "gen", "ivvy", "*.go"))
	require.NoError(t, err)
	for _, f := range hand {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, ".gen.go") {
			continue
		}
		replace[filepath.Join(copyDir, filepath.Base(f))] = f
	}
	mainGo := filepath.Join(tmp, "main.go")
	require.NoError(t, os.WriteFile(mainGo, []byte(callerProgram), 0o644))
	mainDir := filepath.Join(root, "internal", "apigen", "ivvycopycaller")
	replace[filepath.Join(mainDir, "main.go")] = mainGo
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	require.NoError(t, err)
	overlayFile := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayFile, overlay, 0o644))

	cmd := exec.Command("go", "run", "-overlay", overlayFile, "./internal/apigen/ivvycopycaller")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.Equal(t, "method: 2 events (Gala: Launched, Lunch: Archived)\n"+
		"iterator: 2 events (Gala, Lunch)\n"+
		"enum: Archived known=true\n", string(out))
}

// callerProgram calls the generated GetEventListCopy and EventsCopy of the
// copy; nothing in the copy was written for them.
const callerProgram = `package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	ivvy "github.com/invitekit/invitekit/gen/ivvycopy"
)

func main() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("action") != "getEventListCopy" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, ` + "`" + `{"meta":{"totalResults":2,"start":0,"perPage":100,"count":2},"results":[{"id":1,"title":"Gala","currentStatus":3},{"id":2,"title":"Lunch","currentStatus":"2"}]}` + "`" + `)
	}))
	defer srv.Close()
	api, err := ivvy.New("key", "secret", ivvy.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	page, err := api.GetEventListCopy(ctx, ivvy.GetEventListRequest{})
	if err != nil {
		panic(err)
	}
	var titles []string
	for _, ev := range page.Results {
		titles = append(titles, ev.Title+": "+ev.CurrentStatus.String())
	}
	fmt.Printf("method: %d events (%s)\n", len(page.Results), strings.Join(titles, ", "))
	titles = nil
	for ev, err := range api.EventsCopy(ctx, ivvy.GetEventListRequest{}) {
		if err != nil {
			panic(err)
		}
		titles = append(titles, ev.Title)
	}
	fmt.Printf("iterator: %d events (%s)\n", len(titles), strings.Join(titles, ", "))
	fmt.Printf("enum: %s known=%v\n", ivvy.EventStatusArchived, ivvy.EventStatusArchived.Known())
}
`
