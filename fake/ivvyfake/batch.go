package ivvyfake

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// batchRetention is how long the server keeps a batch and its results.
const batchRetention = 48 * time.Hour

// batch is a batch run and its progress.
type batch struct {
	id          string
	jobs        []batchJob
	callbackURL string
	base        string
	created     time.Time
	done        int
	results     []record
	reposts     int
	restarts    int
}

// batchJob is one call of a batch.
type batchJob struct {
	Namespace string
	Action    string
	Params    json.RawMessage
}

// BatchStatus describes a batch for tests.
type BatchStatus struct {
	AsyncID     string
	Jobs        int
	Done        int
	CallbackURL string
	Restarts    int
	Reposts     int
}

// Batch returns the state of a batch run.
func (s *Server) Batch(asyncID string) (BatchStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.st.batches[asyncID]
	if b == nil {
		return BatchStatus{}, false
	}
	return BatchStatus{AsyncID: b.id, Jobs: len(b.jobs), Done: b.done, CallbackURL: b.callbackURL, Restarts: b.restarts, Reposts: b.reposts}, true
}

// batchPrecheck refuses more than MaxBatchJobs jobs with 24448 before the
// request is validated against the spec.
func batchPrecheck(body []byte) *exception {
	var req struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	if json.Unmarshal(body, &req) == nil && len(req.Jobs) > MaxBatchJobs {
		return badRequest(codeBatchTooMany, fmt.Sprintf("The maximum number of jobs can be put on a single request is %d", MaxBatchJobs))
	}
	return nil
}

// batchRun stores a batch; its jobs run as the batch is polled.
func (s *Server) batchRun(c *call) (any, *exception) {
	raw, ok := c.params["jobs"]
	if !ok || isNull(raw) {
		return nil, missing("jobs")
	}
	var jobs []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &jobs); err != nil {
		return nil, badRequest(codeBatchJobFormat, "Incorrect Job Format")
	}
	if len(jobs) == 0 {
		return nil, badRequest(codeBatchEmptyJob, "Empty job parameter found")
	}
	if len(jobs) > MaxBatchJobs {
		return nil, badRequest(codeBatchTooMany, fmt.Sprintf("The maximum number of jobs can be put on a single request is %d", MaxBatchJobs))
	}
	callback, _, exc := c.stringParam("callbackUrl")
	if exc != nil {
		return nil, exc
	}
	b := &batch{callbackURL: callback, base: c.base, created: s.clock()}
	for _, j := range jobs {
		var job batchJob
		if j == nil ||
			json.Unmarshal(j["namespace"], &job.Namespace) != nil ||
			json.Unmarshal(j["action"], &job.Action) != nil {
			return nil, badRequest(codeBatchJobFormat, "Incorrect Job Format")
		}
		if job.Namespace == "" || job.Action == "" {
			return nil, badRequest(codeBatchEmptyJob, "Empty job parameter found")
		}
		job.Params = j["params"]
		if p := bytes.TrimSpace(job.Params); len(p) == 0 || bytes.Equal(p, []byte("null")) {
			job.Params = json.RawMessage("{}")
		} else if p[0] != '{' && !bytes.Equal(p, []byte("[]")) {
			return nil, badRequest(codeBatchJobFormat, "Incorrect Job Format")
		}
		b.jobs = append(b.jobs, job)
	}
	s.st.tokens++
	sum := md5.Sum(fmt.Appendf(nil, "batch:%d:%d", s.st.tokens, len(s.st.batches)))
	b.id = hex.EncodeToString(sum[:])
	s.st.batches[b.id] = b
	return record{"asyncId": b.id}, nil
}

// lookupBatch finds the batch named by the async parameter; unknown or
// expired batches give code.
func (s *Server) lookupBatch(c *call, code int) (*batch, *exception) {
	id, ok, exc := c.stringParam("async")
	if exc != nil {
		return nil, exc
	}
	if !ok || id == "" {
		return nil, missing("async")
	}
	b := s.st.batches[id]
	if b != nil && s.clock().Sub(b.created) > batchRetention {
		delete(s.st.batches, id)
		b = nil
	}
	if b == nil {
		return nil, badRequest(code, "Could not find batch")
	}
	return b, nil
}

// advance runs the next share of a batch's jobs.
func (s *Server) advance(c *call, b *batch) {
	n := len(b.jobs)
	step := (n + s.batchSteps - 1) / s.batchSteps
	for i := 0; i < step && b.done < n; i++ {
		job := b.jobs[b.done]
		b.results = append(b.results, record{
			"namespace": job.Namespace,
			"action":    job.Action,
			"request":   job.Params,
			"response":  s.runJob(c, b, job),
		})
		b.done++
	}
}

// runJob serves one job through the same path as an HTTP request, minus
// the signature, and returns its response body.
func (s *Server) runJob(c *call, b *batch, job batchJob) any {
	op, ok := operations[job.Namespace+"/"+job.Action]
	if !ok {
		_, body := failure(notFound(fmt.Sprintf("Unknown action %q in namespace %q", truncate(job.Action, 60), truncate(job.Namespace, 40))))
		return body
	}
	if job.Namespace == "batch" {
		_, body := failure(badRequest(codeBatchJobFormat, "Incorrect Job Format: a batch job cannot call the batch namespace"))
		return body
	}
	_, body := s.run(c.ctx, op, job.Namespace, job.Action, "application/json", job.Params, b.base)
	return body
}

// percent is how much of the batch has run.
func (b *batch) percent() int {
	if len(b.jobs) == 0 {
		return 100
	}
	return b.done * 100 / len(b.jobs)
}

// batchProgress runs the next share of the batch and reports progress.
func (s *Server) batchProgress(c *call) (any, *exception) {
	b, exc := s.lookupBatch(c, codeBatchProgress)
	if exc != nil {
		return nil, exc
	}
	s.advance(c, b)
	return record{"progress": b.percent()}, nil
}

// batchResults runs the next share of the batch and returns the results
// once every job has run (24114 until then).
func (s *Server) batchResults(c *call) (any, *exception) {
	b, exc := s.lookupBatch(c, codeBatchUnknown)
	if exc != nil {
		return nil, exc
	}
	s.advance(c, b)
	if b.done < len(b.jobs) {
		return nil, &exception{Status: http.StatusBadRequest, ErrorCode: 400, SpecificCode: codeBatchPending, Message: "Batch job not completed"}
	}
	results := make([]record, len(b.results))
	copy(results, b.results)
	return record{"asyncId": b.id, "results": results}, nil
}

// batchRestart runs the batch again from its first job.
func (s *Server) batchRestart(c *call) (any, *exception) {
	b, exc := s.lookupBatch(c, codeBatchProgress)
	if exc != nil {
		return nil, exc
	}
	b.done, b.results = 0, nil
	b.restarts++
	return record{"restarted": true}, nil
}

// batchRepost records a request to send the callback again. The fake does
// not call callback URLs.
func (s *Server) batchRepost(c *call) (any, *exception) {
	b, exc := s.lookupBatch(c, codeBatchProgress)
	if exc != nil {
		return nil, exc
	}
	b.reposts++
	return record{"reposted": true}, nil
}
