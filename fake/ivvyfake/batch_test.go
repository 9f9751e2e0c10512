package ivvyfake_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/fake/ivvyfake"
)

func inviteJob(event int, contacts ...int) map[string]any {
	return map[string]any{"namespace": "event", "action": "inviteContacts", "params": map[string]any{"event": event, "contacts": contacts}}
}

func TestBatchLifecycle(t *testing.T) {
	e := newEnv(t)
	r := e.call("batch", "run", map[string]any{
		"jobs": []map[string]any{
			inviteJob(3, 1, 2),
			inviteJob(3, 3, 999),
			{"namespace": "test", "action": "ping", "params": map[string]any{}},
		},
		"callbackUrl": "http://127.0.0.1:1/callback",
	})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	async, _ := r.JSON["asyncId"].(string)
	require.Len(t, async, 32)
	assert.Empty(t, e.fake.Invitations(3), "jobs run as the batch is polled")

	p := e.call("batch", "progress", map[string]any{"async": async})
	assert.EqualValues(t, 33, p.JSON["progress"])
	assert.Len(t, e.fake.Invitations(3), 2)

	res := e.call("batch", "results", map[string]any{"async": async})
	requireException(t, res, http.StatusBadRequest, 400, 24114)

	p = e.call("batch", "progress", map[string]any{"async": async})
	assert.EqualValues(t, 100, p.JSON["progress"])
	p = e.call("batch", "progress", map[string]any{"async": async})
	assert.EqualValues(t, 100, p.JSON["progress"], "progress stays at 100")
	assert.Len(t, e.fake.Invitations(3), 3)

	res = e.call("batch", "results", map[string]any{"async": async})
	require.Equal(t, http.StatusOK, res.Status, "body: %s", res.Body)
	assert.Equal(t, async, res.JSON["asyncId"])
	rs := results(t, res)
	require.Len(t, rs, 3)
	assert.Equal(t, "inviteContacts", rs[0]["action"])
	assert.Equal(t, map[string]any{"event": 3.0, "contacts": []any{3.0, 999.0}}, rs[1]["request"])
	second := rs[1]["response"].(map[string]any)["results"].([]any)
	assert.Equal(t, false, second[1].(map[string]any)["status"])
	assert.Contains(t, rs[2]["response"], "ack")

	st, ok := e.fake.Batch(async)
	require.True(t, ok)
	assert.Equal(t, ivvyfake.BatchStatus{AsyncID: async, Jobs: 3, Done: 3, CallbackURL: "http://127.0.0.1:1/callback"}, st)

	// Restart runs the jobs again from the first one.
	r = e.call("batch", "restart", map[string]any{"async": async})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, true, r.JSON["restarted"])
	p = e.call("batch", "progress", map[string]any{"async": async})
	assert.EqualValues(t, 33, p.JSON["progress"])

	r = e.call("batch", "repost", map[string]any{"async": async})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, true, r.JSON["reposted"])
	st, _ = e.fake.Batch(async)
	assert.Equal(t, 1, st.Restarts)
	assert.Equal(t, 1, st.Reposts)
	assert.Equal(t, 1, e.fake.Calls("run"))
	assert.Equal(t, 4, e.fake.Calls("progress"))
	assert.Zero(t, e.fake.Calls("inviteContacts"), "jobs are not HTTP calls")
}

func TestBatchProgressGrowsWithEachPoll(t *testing.T) {
	e := newEnv(t, ivvyfake.WithBatchSteps(4))
	jobs := make([]map[string]any, 10)
	for i := range jobs {
		jobs[i] = inviteJob(3, i+1)
	}
	r := e.call("batch", "run", map[string]any{"jobs": jobs, "callbackUrl": "http://127.0.0.1:1/cb"})
	async := r.JSON["asyncId"].(string)
	var seen []float64
	for range 5 {
		p := e.call("batch", "progress", map[string]any{"async": async})
		seen = append(seen, p.JSON["progress"].(float64))
	}
	assert.Equal(t, []float64{30, 60, 90, 100, 100}, seen)
	assert.Len(t, e.fake.Invitations(3), 10)
}

func TestBatchErrors(t *testing.T) {
	e := newEnv(t)
	tooMany := make([]map[string]any, 201)
	for i := range tooMany {
		tooMany[i] = inviteJob(1, 1)
	}
	requireException(t, e.call("batch", "run", map[string]any{"jobs": tooMany, "callbackUrl": "http://127.0.0.1:1/cb"}), http.StatusBadRequest, 400, 24448)

	r := e.call("batch", "run", map[string]any{"jobs": tooMany[:200], "callbackUrl": "http://127.0.0.1:1/cb"})
	assert.Equal(t, http.StatusOK, r.Status, "200 jobs are allowed: %s", r.Body)

	requireException(t, e.call("batch", "run", map[string]any{"jobs": []map[string]any{{"namespace": "event", "action": "", "params": map[string]any{}}}, "callbackUrl": "http://127.0.0.1:1/cb"}),
		http.StatusBadRequest, 400, 24093)
	requireException(t, e.call("batch", "run", map[string]any{"jobs": []any{map[string]any{"namespace": 1, "action": "ping", "params": map[string]any{}}}, "callbackUrl": "http://127.0.0.1:1/cb"}),
		http.StatusBadRequest, 400, 23016)
	requireException(t, e.call("batch", "run", map[string]any{"jobs": []any{map[string]any{"namespace": "test", "action": "ping"}}, "callbackUrl": "http://127.0.0.1:1/cb"}),
		http.StatusBadRequest, 400, 23017)

	requireException(t, e.call("batch", "progress", map[string]any{"async": "0123456789abcdef0123456789abcdef"}), http.StatusBadRequest, 400, 24105)
	requireException(t, e.call("batch", "results", map[string]any{"async": "0123456789abcdef0123456789abcdef"}), http.StatusBadRequest, 400, 24115)
	requireException(t, e.call("batch", "progress", map[string]any{}), http.StatusBadRequest, 400, 23017)
}

func TestBatchJobFailuresAreResults(t *testing.T) {
	e := newEnv(t, ivvyfake.WithBatchSteps(1))
	r := e.call("batch", "run", map[string]any{"jobs": []map[string]any{
		{"namespace": "event", "action": "getEvent", "params": map[string]any{"id": 99}},
		{"namespace": "event", "action": "noSuchAction", "params": map[string]any{}},
		{"namespace": "event", "action": "inviteContacts", "params": map[string]any{"event": 1}},
		{"namespace": "batch", "action": "run", "params": map[string]any{}},
	}, "callbackUrl": "http://127.0.0.1:1/cb"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	res := e.call("batch", "results", map[string]any{"async": r.JSON["asyncId"]})
	rs := results(t, res)
	require.Len(t, rs, 4)
	for i, want := range []struct{ code, specific float64 }{{400, 24097}, {404, 0}, {400, 23017}, {400, 24092}} {
		resp := rs[i]["response"].(map[string]any)
		assert.Equal(t, want.code, resp["errorCode"], "job %d: %v", i, resp)
		if want.specific != 0 {
			assert.Equal(t, want.specific, resp["specificCode"], "job %d: %v", i, resp)
		}
	}
}

func TestBatchesExpireAfterTwoDays(t *testing.T) {
	e := newEnv(t, ivvyfake.WithBatchSteps(1))
	r := e.call("batch", "run", map[string]any{"jobs": []map[string]any{inviteJob(1, 1)}, "callbackUrl": "http://127.0.0.1:1/cb"})
	async := r.JSON["asyncId"]
	require.Equal(t, http.StatusOK, e.call("batch", "results", map[string]any{"async": async}).Status)
	e.clock.Add(49 * time.Hour) // the signer shares the clock
	requireException(t, e.call("batch", "results", map[string]any{"async": async}), http.StatusBadRequest, 400, 24115)
}
