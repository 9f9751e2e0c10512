package invitario_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	"github.com/invitekit/invitekit/gen/invitario"
)

func guestJSON(t testing.TB, g invitario.Guest) string {
	t.Helper()
	b, err := json.Marshal(g)
	require.NoError(t, err)
	return string(b)
}

func ids(gs []invitario.Guest) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.ID)
	}
	sort.Strings(out)
	return out
}

func TestSyncSeparatesChangesAndDeletions(t *testing.T) {
	clk := newClock()
	fake, srv := startFake(t, invitariofake.WithClock(clk.Now), invitariofake.WithLocation(time.FixedZone("", 2*3600)))
	api := newAPI(t, srv.URL, demoCreds())
	defer func() { require.NoError(t, api.Close(t.Context())) }()

	first, err := api.Sync(t.Context(), invitario.Cursor{})
	require.NoError(t, err)
	assert.True(t, first.Full)
	assert.Len(t, first.Changed, len(invitariofake.DemoGuests))
	assert.Empty(t, first.Deleted)
	assert.Equal(t, clk.Now(), first.Next.DateTime.UTC())
	_, offset := first.Next.DateTime.Zone()
	assert.Equal(t, 2*3600, offset, "the cursor keeps the server's offset")

	// Nothing happened: nothing is delivered, even with the overlap.
	clk.Advance(10 * time.Second)
	quiet, err := api.Sync(t.Context(), first.Next)
	require.NoError(t, err)
	assert.False(t, quiet.Full)
	assert.Empty(t, quiet.Changed)
	assert.Empty(t, quiet.Deleted)

	guests := fake.Guests(invitariofake.DemoEventID)
	bob, dan := guests[1], guests[3]
	clk.Advance(time.Minute)
	require.NoError(t, fake.CheckIn(invitariofake.DemoEventID, dan.ID))
	require.NoError(t, fake.DeleteGuest(invitariofake.DemoEventID, bob.ID)) // Ted, his companion, goes too
	added, err := fake.AddGuest(invitariofake.DemoEventID, invitario.Guest{Fields: invitario.Fields{"email": invitario.StringValue("zoe@example.com")}})
	require.NoError(t, err)

	clk.Advance(time.Second)
	step, err := api.Sync(t.Context(), quiet.Next)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{dan.ID, added.ID}, ids(step.Changed))
	require.Len(t, step.Deleted, 2)
	for _, g := range step.Deleted {
		assert.NotNil(t, g.DeleteDateTime)
	}
	assert.Contains(t, ids(step.Deleted), bob.ID)

	// The cursor survives JSON (the CLI keeps it in a file).
	raw, err := json.Marshal(step.Next)
	require.NoError(t, err)
	var back invitario.Cursor
	require.NoError(t, json.Unmarshal(raw, &back))
	again, err := api.Sync(t.Context(), back)
	require.NoError(t, err)
	assert.Empty(t, again.Changed, "nothing delivered twice")
	assert.Empty(t, again.Deleted)
}

func TestSyncBoundarySameSecond(t *testing.T) {
	for _, overlap := range []time.Duration{0, 2 * time.Second} {
		t.Run(fmt.Sprint(overlap), func(t *testing.T) {
			clk := newClock()
			clk.Advance(400 * time.Millisecond)
			fake, srv := startFake(t, invitariofake.WithClock(clk.Now))
			api := newAPI(t, srv.URL, demoCreds(), invitario.WithSyncOverlap(overlap))
			defer func() { require.NoError(t, api.Close(t.Context())) }()

			// A change just before the answer, in the answer's second.
			g := fake.Guests(invitariofake.DemoEventID)[0]
			require.NoError(t, fake.UpdateGuest(invitariofake.DemoEventID, g.ID, func(g *invitario.Guest) {
				g.Fields["notes"] = invitario.StringValue("before")
			}))
			first, err := api.Sync(t.Context(), invitario.Cursor{})
			require.NoError(t, err)
			// A change right after the answer, in the same second.
			clk.Advance(300 * time.Millisecond)
			require.NoError(t, fake.UpdateGuest(invitariofake.DemoEventID, g.ID, func(g *invitario.Guest) {
				g.Fields["notes"] = invitario.StringValue("after")
			}))
			next, err := api.Sync(t.Context(), first.Next)
			require.NoError(t, err)
			require.Len(t, next.Changed, 1, "the change after the answer is not lost")
			assert.Equal(t, "after", next.Changed[0].Fields.Text("notes"))
			last, err := api.Sync(t.Context(), next.Next)
			require.NoError(t, err)
			assert.Empty(t, last.Changed, "and not delivered twice")
		})
	}
}

// TestSyncNeverLosesOrRepeats runs many random edit sequences against the
// fake, syncing at random points, and checks after every sync that the
// client's copy equals the server's guest list and that no delivered change
// was one the client already had.
func TestSyncNeverLosesOrRepeats(t *testing.T) {
	const sequences = 200
	for seq := range sequences {
		rng := rand.New(rand.NewPCG(20261125, uint64(seq)))
		overlap := []time.Duration{0, time.Second, 2 * time.Second}[rng.IntN(3)]
		runSyncSequence(t, rng, overlap, seq)
		if t.Failed() {
			t.Fatalf("sequence %d (overlap %v) failed", seq, overlap)
		}
	}
}

func runSyncSequence(t *testing.T, rng *rand.Rand, overlap time.Duration, seq int) {
	clk := newClock()
	clk.Advance(time.Duration(rng.IntN(1000)) * time.Millisecond)
	fake := invitariofake.Demo(invitariofake.WithClock(clk.Now))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	api := newAPI(t, srv.URL, demoCreds(), invitario.WithSyncOverlap(overlap))
	defer func() { require.NoError(t, api.Close(t.Context())) }()
	ev := invitariofake.DemoEventID

	have := map[string]string{} // the client's copy: id -> guest JSON
	deletedSeen := map[string]bool{}
	var cur invitario.Cursor
	edits := 0

	sync := func() {
		res, err := api.Sync(t.Context(), cur)
		require.NoError(t, err)
		for _, g := range res.Changed {
			j := guestJSON(t, g)
			require.NotEqual(t, have[g.ID], j, "seq %d: guest %s delivered again unchanged", seq, g.ID)
			have[g.ID] = j
		}
		for _, g := range res.Deleted {
			require.False(t, deletedSeen[g.ID], "seq %d: deletion of %s delivered twice", seq, g.ID)
			deletedSeen[g.ID] = true
			delete(have, g.ID)
		}
		want := map[string]string{}
		for _, g := range fake.Guests(ev) {
			want[g.ID] = guestJSON(t, g)
		}
		require.Equal(t, want, have, "seq %d: the client's copy differs from the server after %d edits", seq, edits)
		cur = res.Next
	}

	sync()
	steps := 20 + rng.IntN(40)
	for range steps {
		live := fake.Guests(ev)
		switch r := rng.IntN(100); {
		case r < 20:
			clk.Advance([]time.Duration{0, 100 * time.Millisecond, 600 * time.Millisecond, time.Second, 1500 * time.Millisecond, 5 * time.Second}[rng.IntN(6)])
		case r < 40:
			sync()
		case r < 55 || len(live) == 0:
			g := invitario.Guest{Fields: invitario.Fields{"email": invitario.StringValue(fmt.Sprintf("new%d@example.com", edits))}}
			if len(live) > 0 && rng.IntN(3) == 0 {
				if p := live[rng.IntN(len(live))]; p.ParentID == "" {
					g.ParentID = p.ID
				}
			}
			_, err := fake.AddGuest(ev, g)
			require.NoError(t, err)
			edits++
		case r < 80:
			g := live[rng.IntN(len(live))]
			n := edits
			require.NoError(t, fake.UpdateGuest(ev, g.ID, func(g *invitario.Guest) {
				g.Fields["notes"] = invitario.StringValue(fmt.Sprintf("edit %d", n))
			}))
			edits++
		case r < 90:
			require.NoError(t, fake.CheckIn(ev, live[rng.IntN(len(live))].ID))
			edits++
		default:
			require.NoError(t, fake.DeleteGuest(ev, live[rng.IntN(len(live))].ID))
			edits++
		}
	}
	sync()
	assert.Empty(t, fake.Violations())
}

// BenchmarkStreamGuests streams a list of 100,000 guests from the fake and
// reports how the live heap (measured after forced collections at every
// tenth of the stream) behaves:
//
//   - live-B/guest: the most it grew above its level before the call,
//     divided by the number of guests. It includes fixed costs (buffers)
//     and the fake's own snapshot of the list, one pointer per guest.
//   - marginal-B/guest: its growth from the first to the last tenth of the
//     stream, divided by the guests streamed in between: what one more guest
//     costs. A client that buffered the list would show the size of a
//     decoded guest (about a kilobyte); a streaming one shows about zero.
func BenchmarkStreamGuests(b *testing.B) {
	const guests = 100000
	fake := invitariofake.New()
	fake.AddEvent(invitariofake.Event{ID: "big", Name: "Big"})
	require.NoError(b, fake.AddAppConfig("big", "code-big", "Door"))
	for i := range guests {
		_, err := fake.AddGuest("big", invitario.Guest{
			ID: fmt.Sprintf("g%06d", i),
			Fields: invitario.Fields{
				"firstName": invitario.StringValue("Guest"), "lastName": invitario.StringValue(fmt.Sprint(i)),
				"email": invitario.StringValue(fmt.Sprintf("g%d@example.com", i)), "customField47": invitario.ListValue("vegan"),
			},
		})
		require.NoError(b, err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	api := newAPI(b, srv.URL, invitario.Credentials{EventID: "big", AppCode: "code-big", Station: "Door"})
	defer func() { _ = api.Close(b.Context()) }()
	// One whole stream first, so one-time costs (connection, type caches)
	// are not counted.
	for _, err := range api.GuestsAll(b.Context(), nil) {
		require.NoError(b, err)
	}

	// The live heap as marked by the last collection. The fake goes on
	// writing (into the socket buffers) during the first collection, and
	// what it allocates meanwhile counts as live; the second one, with the
	// fake blocked on the full socket, sees only what is really held.
	live := func() uint64 {
		runtime.GC()
		runtime.GC()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	var peakGrowth uint64
	var marginal float64
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		base := live()
		var first, last uint64
		n := 0
		for _, err := range api.GuestsAll(b.Context(), nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
			if n%(guests/10) == 0 && n < guests {
				now := live()
				if now > base && now-base > peakGrowth {
					peakGrowth = now - base
				}
				if first == 0 {
					first = now
				}
				last = now
			}
		}
		if n != guests {
			b.Fatalf("streamed %d guests, want %d", n, guests)
		}
		marginal = max(marginal, (float64(last)-float64(first))/(guests*8/10))
	}
	b.ReportMetric(float64(peakGrowth)/guests, "live-B/guest")
	b.ReportMetric(marginal, "marginal-B/guest")
}
