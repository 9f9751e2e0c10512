package e2e

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
)

// canaryPhases are what the server does while every operation is driven.
var canaryPhases = []string{"success", "errors", "retries", "redirect"}

// results counts the calls of a phase that succeeded and failed.
type results struct {
	ok, failed int
	errs       []error
}

func (r *results) note(ev *evidence, where string, err error) {
	if err != nil {
		r.failed++
		r.errs = append(r.errs, err)
		ev.addErr(where, err)
		return
	}
	r.ok++
}

// driveIvvy calls every iVvy operation (and the helpers built on them)
// once.
func driveIvvy(ctx context.Context, api *ivvy.API, ev *evidence, phase string) *results {
	r := &results{}
	note := func(op string, err error) { r.note(ev, phase+": ivvy "+op, err) }
	one := func(op string, fn func() error) { note(op, fn()) }
	first, last := "Canary", "Contact"
	email := openapi_types.Email("canary.contact@example.com")
	title := "Product Launch 2026 (" + phase + ")"
	eventID := int64(1)

	one("ping", func() error { _, err := api.Ping(ctx); return err })
	one("inviteContacts", func() error { _, err := api.InviteContacts(ctx, 1, []int64{7, 8}); return err })
	one("getInvitedContactList", func() error {
		_, err := api.GetInvitedContactList(ctx, ivvy.GetInvitedContactListRequest{EventID: 1})
		return err
	})
	one("addOrUpdateEvent", func() error {
		_, err := api.AddOrUpdateEvent(ctx, ivvy.AddOrUpdateEventRequest{ID: &eventID, Title: &title})
		return err
	})
	one("getEventList", func() error { _, err := api.GetEventList(ctx, ivvy.GetEventListRequest{}); return err })
	one("getEvent", func() error { _, err := api.GetEvent(ctx, ivvy.GetEventRequest{ID: 1}); return err })
	one("getEvent unknown", func() error { _, err := api.GetEvent(ctx, ivvy.GetEventRequest{ID: 999}); return err })
	one("getRegistration", func() error {
		_, err := api.GetRegistration(ctx, ivvy.GetRegistrationRequest{EventID: 1, ID: 1})
		return err
	})
	one("getRegistrationList", func() error {
		_, err := api.GetRegistrationList(ctx, ivvy.GetRegistrationListRequest{EventID: 1})
		return err
	})
	one("getAttendee", func() error { _, err := api.GetAttendee(ctx, ivvy.GetAttendeeRequest{EventID: 1, ID: 1}); return err })
	one("getAttendeeList", func() error {
		_, err := api.GetAttendeeList(ctx, ivvy.GetAttendeeListRequest{EventID: 1})
		return err
	})
	one("getSponsorshipList", func() error {
		_, err := api.GetSponsorshipList(ctx, ivvy.GetSponsorshipListRequest{Event: 1})
		return err
	})
	one("getSpeakerList", func() error { _, err := api.GetSpeakerList(ctx, ivvy.GetSpeakerListRequest{Event: 1}); return err })
	one("getSessionList", func() error { _, err := api.GetSessionList(ctx, ivvy.GetSessionListRequest{EventID: 1}); return err })
	one("createLoginToken", func() error {
		_, err := api.CreateLoginToken(ctx, ivvy.CreateLoginTokenRequest{Event: 1, Contact: 1})
		return err
	})
	one("getContactList", func() error { _, err := api.GetContactList(ctx, ivvy.GetContactListRequest{}); return err })
	one("getContact", func() error { _, err := api.GetContact(ctx, ivvy.GetContactRequest{ID: 1}); return err })
	one("getContact unknown", func() error { _, err := api.GetContact(ctx, ivvy.GetContactRequest{ID: 999}); return err })
	one("addOrUpdateContact", func() error {
		_, err := api.AddOrUpdateContact(ctx, ivvy.AddOrUpdateContactRequest{FirstName: &first, LastName: &last, Email: &email})
		return err
	})
	async := "0000-unknown-batch"
	one("batchRun", func() error {
		res, err := api.BatchRun(ctx, ivvy.BatchRunRequest{CallbackURL: "https://callback.example.com/ivvy",
			Jobs: []ivvy.BatchJob{{Namespace: "event", Action: "getEvent", Params: map[string]any{"id": 1}}}})
		if err == nil {
			async = res.AsyncID
		}
		return err
	})
	one("batchProgress", func() error { _, err := api.BatchProgress(ctx, ivvy.BatchAsyncRequest{Async: async}); return err })
	one("batchResults", func() error { _, err := api.BatchResults(ctx, ivvy.BatchAsyncRequest{Async: async}); return err })
	one("batchRestart", func() error { _, err := api.BatchRestart(ctx, ivvy.BatchAsyncRequest{Async: async}); return err })
	one("batchRepost", func() error { _, err := api.BatchRepost(ctx, ivvy.BatchAsyncRequest{Async: async}); return err })
	one("InviteMany", func() error {
		res, err := api.InviteMany(ctx, 2, []int64{9, 10, 11, 999}, ivvy.WithChunkSize(2))
		if res != nil {
			for _, o := range res.Outcomes {
				ev.addErr(phase+": ivvy InviteMany outcome", o.Err)
			}
		}
		return err
	})
	one("RunBatch", func() error {
		_, err := api.RunBatch(ctx, []ivvy.BatchJob{{Namespace: "test", Action: "ping"}}, "https://callback.example.com/ivvy",
			ivvy.WithPollInterval(time.Millisecond, 2*time.Millisecond))
		return err
	})
	one("Events", func() error {
		for _, err := range api.Events(ctx, ivvy.GetEventListRequest{}) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	one("Contacts", func() error {
		for _, err := range api.Contacts(ctx, ivvy.GetContactListRequest{}) {
			if err != nil {
				return err
			}
		}
		return nil
	})
	return r
}

// driveAlida calls every Alida operation, with a call that the server
// refuses among them.
func driveAlida(ctx context.Context, api *alida.API, ev *evidence, where string) *results {
	r := &results{}
	note := func(op string, err error) { r.note(ev, where+": alida "+op, err) }
	_, err := api.CollectQueued(ctx, time.Time{}, nil)
	note("listQueuedInvitationEvents", err)
	member := alidafake.DemoMembers["alice@example.com"]
	_, err = api.ReportInvitations(ctx, []alida.NewInvitationEvent{{MemberID: member, CommunicationID: alidafake.DemoOpenCommunication,
		EventType: alida.InvitationEventTypeSurveyInvited}})
	note("createInvitationEvents", err)
	_, err = api.ReportReminders(ctx, []alida.NewReminderEvent{{MemberID: member, CommunicationID: alidafake.DemoOpenCommunication,
		EventType: alida.ReminderEventTypeReminded}})
	note("createReminderEvents", err)
	_, err = api.ReportInvitations(ctx, []alida.NewInvitationEvent{{MemberID: member, CommunicationID: alidafake.DemoClosedCommunication,
		EventType: alida.InvitationEventTypeSurveyInvited}})
	note("createInvitationEvents closed", err)
	return r
}

// driveInvitario logs in, lists, syncs, outlives an expired session and
// logs out.
func driveInvitario(ctx context.Context, api *invitario.API, fk *invitariofake.Server, ev *evidence, where string) *results {
	r := &results{}
	note := func(op string, err error) { r.note(ev, where+": invitario "+op, err) }
	drain := func(seq func(func(invitario.Guest, error) bool)) error {
		for _, err := range seq {
			if err != nil {
				return err
			}
		}
		return nil
	}
	_, err := api.Login(ctx)
	note("login", err)
	note("guestListAll", drain(api.GuestsAll(ctx, nil)))
	note("guestListRecent", drain(api.GuestsRecent(ctx, time.Now().Add(-time.Hour), nil)))
	res, err := api.Sync(ctx, invitario.Cursor{})
	note("sync", err)
	if err == nil {
		_, err = api.Sync(ctx, res.Next)
		note("sync again", err)
	}
	fk.ExpireSessions()
	note("guestListAll after expiry", drain(api.GuestsAll(ctx, nil)))
	// Close succeeds without a session to end: only its failure counts.
	if err := api.Close(ctx); err != nil {
		note("logout", err)
	}
	note("after close", drain(api.GuestsAll(ctx, nil)))
	return r
}

// clients builds the three clients for a phase, logging to logger; wrong
// selects the wrong credentials.
type clientSet struct {
	ivvy             *ivvy.API
	alidaBasic       *alida.API
	alidaOAuth       *alida.API
	invitario        *invitario.API
	basicAuth, oauth alida.Auth
	creds            invitario.Credentials
}

func newClients(t *testing.T, w *canaryWorld, logger *slog.Logger, wrong bool) *clientSet {
	t.Helper()
	secret, appCode, password, clientSecret := canaryIvvySecret, canaryAppCode, canaryAlidaPassword, canaryAlidaClientSecret
	if wrong {
		secret, appCode, password, clientSecret = canaryIvvyWrongSecret, canaryWrongAppCode, canaryAlidaWrongPassword, canaryAlidaWrongSecret
	}
	cs := &clientSet{
		basicAuth: alida.BasicAuth(canaryAlidaUser, password),
		oauth:     alida.ClientCredentials(canaryAlidaClient, clientSecret, ""),
		creds:     invitario.Credentials{EventID: invitariofake.DemoEventID, AppCode: invitario.Secret(appCode), Station: canaryStation},
	}
	var err error
	cs.ivvy, err = ivvy.New(canaryIvvyKey, secret, ivvy.WithBaseURL(w.url), ivvy.WithTransport(newTransport(t)),
		ivvy.WithLogger(logger), ivvy.WithMaxAttempts(3), ivvy.WithBackoff(time.Millisecond, 2*time.Millisecond))
	require.NoError(t, err)
	cs.alidaBasic, err = alida.New(alidafake.DemoCommunity, cs.basicAuth, alida.WithBaseURL(w.url),
		alida.WithTransport(newTransport(t)), alida.WithLogger(logger))
	require.NoError(t, err)
	cs.alidaOAuth, err = alida.New(alidafake.DemoCommunity, cs.oauth, alida.WithBaseURL(w.url),
		alida.WithTransport(newTransport(t)), alida.WithLogger(logger))
	require.NoError(t, err)
	cs.invitario, err = invitario.New(cs.creds, invitario.WithBaseURL(w.url), invitario.WithTransport(newTransport(t)),
		invitario.WithLogger(logger))
	require.NoError(t, err)
	return cs
}

// formatted returns v as fmt shows it with every verb a caller might use.
func formatted(v any) string {
	return fmt.Sprintf("%v\n%+v\n%#v\n%s\n%q\n%x\n%d\n%t", v, v, v, v, v, v, v, v)
}

// TestCanarySecretsNeverShowInLibrary plants canary secrets, drives every
// operation of the three APIs through successes, API errors, retries and a
// redirect to another host, and scans every error (Error, %v, %+v, %#v) and
// every log record for them.
func TestCanarySecretsNeverShowInLibrary(t *testing.T) {
	t.Parallel()
	w := newCanaryWorld(t)
	ctx := t.Context()
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ev := &evidence{}
	outcome := map[string]map[string]*results{}

	for _, phase := range canaryPhases {
		w.phase(phase)
		cs := newClients(t, w, logger, phase == "errors")
		outcome[phase] = map[string]*results{
			"ivvy":        driveIvvy(ctx, cs.ivvy, ev, phase),
			"alida basic": driveAlida(ctx, cs.alidaBasic, ev, phase+" basic"),
			"alida oauth": driveAlida(ctx, cs.alidaOAuth, ev, phase+" oauth"),
			"invitario":   driveInvitario(ctx, cs.invitario, w.invitario, ev, phase),
		}
		w.phase("success")
		// The values and credentials themselves, with a session open.
		inv := newClients(t, w, logger, phase == "errors").invitario
		_, err := inv.Login(ctx)
		ev.addErr(phase+": invitario login for formatting", err)
		for name, v := range map[string]any{
			"ivvy.API": cs.ivvy, "alida.API basic": cs.alidaBasic, "alida.API oauth": cs.alidaOAuth,
			"alida.Auth basic": cs.basicAuth, "alida.Auth oauth": cs.oauth, "invitario.Credentials": cs.creds,
			"redact.Secret": redact.Secret(canaryIvvySecret),
		} {
			ev.add(phase+": formatting "+name, formatted(v))
		}
		t.Run("formatting invitario.API/"+phase, func(t *testing.T) {
			text := formatted(inv)
			assert.Empty(t, w.c.find(text))
		})
		ev.addErr(phase+": invitario logout after formatting", inv.Close(ctx))
	}

	// The phases did what they are for.
	for api, r := range outcome["success"] {
		assert.Positive(t, r.ok, "success phase: %s had no successful call: %v", api, r.errs)
	}
	assert.Zero(t, outcome["success"]["ivvy"].failed-2, "success phase: only the two unknown ids fail: %v", outcome["success"]["ivvy"].errs)
	for api, r := range outcome["errors"] {
		assert.Zero(t, r.ok, "errors phase: %s accepted wrong credentials", api)
	}
	var unauthorized int
	for _, err := range outcome["errors"]["ivvy"].errs {
		if errors.Is(err, ivvy.ErrUnauthorized) {
			unauthorized++
		}
	}
	assert.Positive(t, unauthorized)
	for api, r := range outcome["redirect"] {
		assert.Zero(t, r.ok, "redirect phase: %s", api)
		var re *httpx.RedirectError
		assert.True(t, errors.As(r.errs[0], &re), "redirect phase: %s: %v", api, r.errs[0])
	}
	assert.Zero(t, w.otherHits.Load(), "nothing reaches the other host")
	assert.Positive(t, outcome["retries"]["ivvy"].ok)
	assert.Positive(t, w.c.count("Invitario session token"), "the session tokens the fake issued are among the canaries")
	assert.Positive(t, w.c.count("bearer token"))
	assert.Positive(t, w.c.count("iVvy signature"))

	// One record per HTTP attempt, with operation, attempt and duration.
	records, retried := 0, 0
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		records++
		ev.add("log record", sc.Text())
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), sc.Text())
		for _, k := range []string{"operation", "attempt", "duration"} {
			assert.Contains(t, rec, k, sc.Text())
		}
		if a, _ := rec["attempt"].(float64); a > 1 {
			retried++
		}
	}
	assert.Greater(t, records, 100)
	assert.Positive(t, retried, "the retries phase logs second attempts")

	ev.scan(t, w.c)
}

// An error page that echoes the request (a misconfigured proxy's debug
// page, say) must not carry the credentials into the error.
func TestCanarySecretsNotEchoedFromErrorPages(t *testing.T) {
	t.Parallel()
	w := newCanaryWorld(t)
	ctx := t.Context()
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cs := newClients(t, w, logger, false)
	w.phase("echo")
	for name, drive := range map[string]func(ev *evidence) *results{
		"ivvy":        func(ev *evidence) *results { return driveIvvy(ctx, cs.ivvy, ev, "echo") },
		"alida basic": func(ev *evidence) *results { return driveAlida(ctx, cs.alidaBasic, ev, "echo basic") },
		"alida oauth": func(ev *evidence) *results { return driveAlida(ctx, cs.alidaOAuth, ev, "echo oauth") },
		"invitario":   func(ev *evidence) *results { return driveInvitario(ctx, cs.invitario, w.invitario, ev, "echo") },
	} {
		t.Run(name, func(t *testing.T) {
			ev := &evidence{}
			r := drive(ev)
			assert.Zero(t, r.ok)
			var leaks []string
			for _, it := range ev.items {
				if found := w.c.find(it.text); len(found) > 0 {
					leaks = append(leaks, it.where+": "+strings.Join(found, ", "))
				}
			}
			assert.Empty(t, leaks)
		})
	}
	ev := &evidence{}
	ev.add("log", logs.String())
	ev.scan(t, w.c)
}

// The scanner itself finds a secret in every form it looks for, so that a
// clean scan means something.
func TestCanaryScannerFindsLeaks(t *testing.T) {
	c := newCanaries()
	c.addAuthorization("Authorization", "Bearer issued-token-0123456789")
	c.addAuthorization("X-Api-Authorization", "IWS canary-ivvy-key:0a1b2c3d4e5f60718293")
	basic := base64.StdEncoding.EncodeToString([]byte(canaryAlidaUser + ":" + canaryAlidaPassword))
	for _, leak := range []string{
		"secret " + canaryIvvySecret,
		"Authorization: Basic " + basic,
		"token=issued-token-0123456789",
		"sig 0a1b2c3d4e5f60718293",
		"x" + base64.RawURLEncoding.EncodeToString([]byte(canaryAppCode)),
		"client_secret=" + url.QueryEscape(canaryAlidaClientSecret),
	} {
		assert.NotEmpty(t, c.find(leak), leak)
	}
	assert.Empty(t, c.find("ivvy: ping: HTTP 503: \"Service Unavailable\" [redacted] canary-ivvy-key"))
}
