// Command benchtable reads the output of `go test -bench` on standard
// input, passes it through, and then prints a table of the measures the
// benchmarks package sets goals for: each against its baseline from the same
// run, with the goal and whether it is met. With -count above 1 each figure
// is the median of its runs.
//
//	go test -run '^$' -bench . -benchmem ./benchmarks/ | go run ./internal/benchtable
//
// It exits with status 1 when the input reports a failure or a measure's
// benchmark is missing, and 0 otherwise, met goals or not.
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A measure is one row of the table.
type measure struct {
	title  string
	bench  string   // the benchmark measured (name without -GOMAXPROCS)
	bases  []string // its baselines; the best of them is compared against
	metric string   // a unit of the benchmark output, e.g. "ns/op"
	// higherIsBetter picks the best baseline (and reads the goal) for
	// throughput-like metrics.
	higherIsBetter bool
	// ratio compares bench with the best baseline; otherwise the goal
	// bounds the value itself (and bases are shown for reference).
	ratio bool
	goal  float64
	op    string // "<=", ">=" or "=="
}

var measures = []measure{
	{title: "iVvy signing, 1 KiB body: time", bench: "BenchmarkSignIvvy/doer", bases: []string{"BenchmarkSignIvvy/floor"},
		metric: "ns/op", ratio: true, goal: 1.25, op: "<="},
	{title: "iVvy signing, 1 KiB body: allocations", bench: "BenchmarkSignIvvy/doer",
		metric: "allocs/op", goal: 4, op: "<="},
	{title: "iVvy signing, http.NewRequest body: time", bench: "BenchmarkSignIvvy/newrequest", bases: []string{"BenchmarkSignIvvy/floor"},
		metric: "ns/op", ratio: true, goal: 1.25, op: "<="},
	{title: "iVvy signing, http.NewRequest body: allocations", bench: "BenchmarkSignIvvy/newrequest",
		metric: "allocs/op", goal: 4, op: "<="},
	{title: "inviteContacts call, 3 contacts: time", bench: "BenchmarkInviteContacts/contacts=3/invitekit",
		bases: []string{"BenchmarkInviteContacts/contacts=3/nethttp"}, metric: "ns/op", ratio: true, goal: 1.3, op: "<="},
	{title: "inviteContacts call, 100 contacts: time", bench: "BenchmarkInviteContacts/contacts=100/invitekit",
		bases: []string{"BenchmarkInviteContacts/contacts=100/nethttp"}, metric: "ns/op", ratio: true, goal: 1.3, op: "<="},
	{title: "100,000-guest list: throughput", bench: "BenchmarkGuestList/stream",
		bases: []string{"BenchmarkGuestList/encoding-json", "BenchmarkGuestList/jx"}, metric: "MB/s",
		higherIsBetter: true, ratio: true, goal: 1, op: ">="},
	{title: "100,000-guest list: peak heap", bench: "BenchmarkGuestList/stream",
		bases: []string{"BenchmarkGuestList/encoding-json", "BenchmarkGuestList/jx"}, metric: "peak-heap-MiB", goal: 16, op: "<="},
	{title: "bulk invitation, 10,000 contacts: requests", bench: "BenchmarkInviteMany/concurrent",
		metric: "requests/op", goal: 100, op: "=="},
	{title: "bulk invitation, 10,000 contacts: wall time", bench: "BenchmarkInviteMany/concurrent",
		bases: []string{"BenchmarkInviteMany/sequential"}, metric: "ns/op", ratio: true, goal: 1, op: "<="},
	{title: "bulk invitation, 10,000 contacts: heap in flight, chunks vs one request", bench: "BenchmarkInviteMany/concurrent",
		bases: []string{"BenchmarkInviteMany/one-request"}, metric: "in-flight-MiB", ratio: true, goal: 1, op: "<="},
}

// results maps a benchmark name to its metrics, each with one value per run.
type results map[string]map[string][]float64

var procSuffix = regexp.MustCompile(`-\d+$`)

// parse reads benchmark lines ("BenchmarkX/y-2  100  123 ns/op  4 B/op ...")
// from r, copying every line to echo. It reports whether the output showed
// a failure.
func parse(r io.Reader, echo io.Writer) (results, bool, error) {
	res := results{}
	failed := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if echo != nil {
			fmt.Fprintln(echo, line)
		}
		if strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "--- FAIL") || strings.HasPrefix(line, "panic:") {
			failed = true
		}
		fields := strings.Fields(line)
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(fields[1]); err != nil {
			continue
		}
		name := procSuffix.ReplaceAllString(fields[0], "")
		if res[name] == nil {
			res[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				break
			}
			res[name][fields[i+1]] = append(res[name][fields[i+1]], v)
		}
	}
	return res, failed, sc.Err()
}

// value returns the median of a benchmark's metric.
func (r results) value(bench, metric string) (float64, bool) {
	vs := r[bench][metric]
	if len(vs) == 0 {
		return 0, false
	}
	vs = slices.Sorted(slices.Values(vs))
	if len(vs)%2 == 1 {
		return vs[len(vs)/2], true
	}
	return (vs[len(vs)/2-1] + vs[len(vs)/2]) / 2, true
}

// row is a measure evaluated against the results.
type row struct {
	m                  measure
	value, base, ratio float64
	baseName           string
	missing            bool
	met                bool
}

func evaluate(res results, m measure) row {
	r := row{m: m}
	v, ok := res.value(m.bench, m.metric)
	if !ok {
		r.missing = true
		return r
	}
	r.value = v
	for _, b := range m.bases {
		bv, ok := res.value(b, m.metric)
		if !ok {
			if m.ratio {
				r.missing = true
				return r
			}
			continue
		}
		better := r.baseName == "" || (m.higherIsBetter && bv > r.base) || (!m.higherIsBetter && bv < r.base)
		if better {
			r.base, r.baseName = bv, b
		}
	}
	got := v
	if m.ratio {
		if r.base == 0 {
			r.missing = true
			return r
		}
		r.ratio = v / r.base
		got = r.ratio
	}
	switch m.op {
	case "<=":
		r.met = got <= m.goal
	case ">=":
		r.met = got >= m.goal
	case "==":
		r.met = math.Abs(got-m.goal) < 1e-9
	}
	return r
}

// format renders a metric value for the table.
func format(v float64, metric string) string {
	switch metric {
	case "ns/op":
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%.2f s", v/1e9)
		case v >= 1e6:
			return fmt.Sprintf("%.1f ms", v/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%.2f µs", v/1e3)
		}
		return fmt.Sprintf("%.0f ns", v)
	case "MB/s":
		return fmt.Sprintf("%.1f MB/s", v)
	case "peak-heap-MiB", "in-flight-MiB":
		return fmt.Sprintf("%.1f MiB", v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// shortName is a baseline's sub-benchmark name ("floor", "jx").
func shortName(bench string) string {
	return bench[strings.LastIndex(bench, "/")+1:]
}

func (r row) cells() []string {
	m := r.m
	if r.missing {
		return []string{m.title, "missing", "", "", "", "missing"}
	}
	base, ratio, goal, result := "", "", "", "reported"
	if r.baseName != "" {
		base = format(r.base, m.metric) + " (" + shortName(r.baseName) + ")"
	}
	if m.ratio {
		ratio = fmt.Sprintf("%.2f×", r.ratio)
	}
	if m.op != "" {
		unit := "×"
		if !m.ratio {
			unit = " " + strings.TrimSuffix(m.metric, "/op")
			if m.metric == "peak-heap-MiB" {
				unit = " MiB"
			}
		}
		goal = fmt.Sprintf("%s %s%s", map[string]string{"<=": "≤", ">=": "≥", "==": "="}[m.op], strconv.FormatFloat(m.goal, 'f', -1, 64), unit)
		result = "not met"
		if r.met {
			result = "met"
		}
	}
	return []string{m.title, format(r.value, m.metric), base, ratio, goal, result}
}

// table writes the rows as a Markdown table.
func table(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| measure | invitekit | baseline | ratio | goal | result |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range rows {
		fmt.Fprintln(w, "| "+strings.Join(r.cells(), " | ")+" |")
	}
}

func run(stdin io.Reader, stdout io.Writer) int {
	res, failed, err := parse(stdin, stdout)
	if err != nil {
		fmt.Fprintln(stdout, "benchtable:", err)
		return 1
	}
	rows := make([]row, len(measures))
	missing := false
	for i, m := range measures {
		rows[i] = evaluate(res, m)
		missing = missing || rows[i].missing
	}
	fmt.Fprintln(stdout)
	table(stdout, rows)
	if failed || missing {
		fmt.Fprintln(stdout, "benchtable: a benchmark failed or is missing")
		return 1
	}
	return 0
}

func main() { os.Exit(run(os.Stdin, os.Stdout)) }
