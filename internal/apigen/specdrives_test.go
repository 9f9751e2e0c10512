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
	out := runCopy(t, "ivvy", nil, func(doc *openapi3.T) {
		// 1. A copy of the spec with one more operation ...
		clone := cloneEventList(t, doc)
		clone.Extensions["x-collection"] = map[string]any{"iterator": "EventsCopy", "items": "results"}
		doc.Paths.Set("/api/1.0/event?action=getEventListCopy", &openapi3.PathItem{Post: clone})
		// The copy is of the API package alone: the notification subject
		// table (x-ivvy-subject) belongs to gen/ivvy/notify, which is not
		// copied.
		for _, s := range doc.Components.Schemas {
			delete(s.Value.Extensions, "x-ivvy-subject")
		}
		// ... and one more documented event status.
		status := doc.Extensions["x-go-enums"].(map[string]any)["EventStatus"].(map[string]any)
		status["values"] = append(status["values"].([]any),
			map[string]any{"value": 2, "name": "Archived", "label": "Archived"})
	}, callerProgram)
	require.Equal(t, "method: 2 events (Gala: Launched, Lunch: Archived)\n"+
		"iterator: 2 events (Gala, Lunch)\n"+
		"enum: Archived known=true\n", out)
}

// The same holds for Alida, whose calls carry the community in the path
// (bound by the API, not passed by the caller) and authenticate with Basic
// auth: a clone of listQueuedInvitationEvents under a new path is a method.
func TestAnAlidaOperationAddedToTheSpecIsCallable(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds a copy of gen/alida")
	}
	out := runCopy(t, "alida", []string{"communityApiKeyName=a.community"}, func(doc *openapi3.T) {
		const orig = "/v1/applications/{communityApiKeyName}/invitationevents/queuedafter/{dateUtc}"
		item := doc.Paths.Value(orig)
		require.NotNil(t, item)
		get := *item.Get
		get.OperationID = "listQueuedCopy"
		doc.Paths.Set("/v1/applications/{communityApiKeyName}/queuedcopy/{dateUtc}",
			&openapi3.PathItem{Parameters: item.Parameters, Get: &get})
	}, alidaCallerProgram)
	require.Equal(t, "method: 1 event for 33333333-3333-4333-8333-333333333333 via /v1/applications/demo/queuedcopy/2026-01-02 (Basic)\n", out)
}

// And for Invitario, whose calls carry the session token in their body: an
// operation added to a copy of the spec (a check-in, with a request schema
// of its own and an answer that is the result or the error envelope) is a
// method; the API logs in, fills the token, and logs in again once when the
// server refuses it.
func TestAnInvitarioOperationAddedToTheSpecIsCallable(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds a copy of gen/invitario")
	}
	out := runCopy(t, "invitario", nil, func(doc *openapi3.T) {
		logout := doc.Paths.Value("/api/v1/logout").Post
		require.NotNil(t, logout)
		doc.Components.Schemas["CheckInRequest"] = openapi3.NewSchemaRef("", openapi3.NewObjectSchema().
			WithProperty("sessionToken", openapi3.NewStringSchema().WithMinLength(1)).
			WithProperty("guestId", openapi3.NewStringSchema()).
			WithRequired([]string{"sessionToken", "guestId"}))
		checkIn := *logout
		checkIn.OperationID = "guestCheckIn"
		checkIn.Extensions = map[string]any{"x-retry-safe": false}
		checkIn.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).
			WithJSONSchemaRef(openapi3.NewSchemaRef("#/components/schemas/CheckInRequest", doc.Components.Schemas["CheckInRequest"].Value))}
		doc.Paths.Set("/api/v1/guest/checkin", &openapi3.PathItem{Post: &checkIn})
	}, invitarioCallerProgram)
	require.Equal(t, "method: success for g-7; logins: 2; tokens sent: tok-1,tok-2\n", out)
}

// runCopy generates package gen/<api>copy from a copy of specs/<api>.yaml
// changed by edit, builds it with the hand-written files of gen/<api>
// through an overlay, and returns what caller (a main package importing
// the copy) prints.
func runCopy(t *testing.T, api string, binds []string, edit func(*openapi3.T), caller string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	tmp := t.TempDir()

	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join(root, "specs", api+".yaml"))
	require.NoError(t, err)
	edit(doc)
	specJSON, err := json.Marshal(doc)
	require.NoError(t, err)
	spec := filepath.Join(tmp, api+".json")
	require.NoError(t, os.WriteFile(spec, specJSON, 0o644))

	// 2. Generate, as go generate does, into temporary files.
	cfg := filepath.Join(tmp, api+".cfg.yaml")
	models := filepath.Join(tmp, "models.gen.go")
	cfgText, err := os.ReadFile(filepath.Join(root, "specs", api+".cfg.yaml"))
	require.NoError(t, err)
	want := "output: gen/" + api + "/models.gen.go"
	require.Contains(t, string(cfgText), want)
	cfgText = []byte(strings.Replace(string(cfgText), want, "output: "+models, 1))
	require.NoError(t, os.WriteFile(cfg, cfgText, 0o644))
	apiFile := filepath.Join(tmp, "api.gen.go")
	options := filepath.Join(tmp, "options.gen.go")
	enums := ""
	if _, err := os.Stat(filepath.Join(root, "gen", api, "enums.gen.go")); err == nil {
		enums = filepath.Join(tmp, "enums.gen.go")
	}
	require.NoError(t, run(cfg, apiFile, enums, "", spec, binds))
	require.NoError(t, runOptions(cfg, options))

	// 3. Overlay: the hand-written files of gen/<api> plus the new
	// generated ones as package gen/<api>copy, and the caller.
	copyDir := filepath.Join(root, "gen", api+"copy")
	replace := map[string]string{
		filepath.Join(copyDir, "models.gen.go"):  models,
		filepath.Join(copyDir, "api.gen.go"):     apiFile,
		filepath.Join(copyDir, "options.gen.go"): options,
	}
	if enums != "" {
		replace[filepath.Join(copyDir, "enums.gen.go")] = enums
	}
	hand, err := filepath.Glob(filepath.Join(root, "gen", api, "*.go"))
	require.NoError(t, err)
	for _, f := range hand {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, ".gen.go") {
			continue
		}
		replace[filepath.Join(copyDir, filepath.Base(f))] = f
	}
	mainGo := filepath.Join(tmp, "main.go")
	require.NoError(t, os.WriteFile(mainGo, []byte(caller), 0o644))
	mainDir := filepath.Join(root, "internal", "apigen", api+"copycaller")
	replace[filepath.Join(mainDir, "main.go")] = mainGo
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	require.NoError(t, err)
	overlayFile := filepath.Join(tmp, "overlay.json")
	require.NoError(t, os.WriteFile(overlayFile, overlay, 0o644))

	cmd := exec.Command("go", "run", "-overlay", overlayFile, "./internal/apigen/"+api+"copycaller")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(out)
}

// alidaCallerProgram calls the generated ListQueuedCopy of the Alida copy.
const alidaCallerProgram = `package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	alida "github.com/invitekit/invitekit/gen/alidacopy"
)

func main() {
	var path, auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		auth, _, _ = strings.Cut(r.Header.Get("Authorization"), " ")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, ` + "`" + `{"meta":{"offset":0,"limit":20,"count":1},"items":[{"id":"0e0e0003-0000-4000-8000-000000000003","memberId":"33333333-3333-4333-8333-333333333333","eventType":"SurveyInvited"}]}` + "`" + `)
	}))
	defer srv.Close()
	api, err := alida.New("demo", alida.BasicAuth("user", "pass"), alida.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	page, err := api.ListQueuedCopy(context.Background(), "2026-01-02", nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("method: %d event for %s via %s (%s)\n", len(page.Items), page.Items[0].MemberID, path, auth)
}
`

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

// invitarioCallerProgram calls the generated GuestCheckIn of the Invitario
// copy against a server whose first session is refused.
const invitarioCallerProgram = `package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	invitario "github.com/invitekit/invitekit/gen/invitariocopy"
)

func main() {
	logins := 0
	var sent []string
	guest := "(none)" // the guestId of the last check-in request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/login":
			logins++
			fmt.Fprintf(w, ` + "`" + `{"status":"success","sessionToken":"tok-%d","stationName":"Door"}` + "`" + `, logins)
		case "/api/v1/guest/checkin":
			sent = append(sent, body["sessionToken"])
			guest = body["guestId"]
			if body["sessionToken"] == "tok-1" {
				fmt.Fprint(w, ` + "`" + `{"errors":[{"code":30,"message":"Invalid session token provided."}]}` + "`" + `)
				return
			}
			fmt.Fprint(w, ` + "`" + `{"status":"success"}` + "`" + `)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	api, err := invitario.New(invitario.Credentials{EventID: "1", AppCode: "code", Station: "Door"}, invitario.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	res, err := api.GuestCheckIn(context.Background(), invitario.CheckInRequest{GuestID: "g-7"})
	if err != nil {
		panic(err)
	}
	fmt.Printf("method: %s for %s; logins: %d; tokens sent: %s\n", res.Status, guest, logins, strings.Join(sent, ","))
}
`
