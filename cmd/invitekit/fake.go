package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"time"

	"github.com/invitekit/invitekit/fake"
	"github.com/invitekit/invitekit/fake/alidafake"
)

func init() {
	add(command{Name: "fake", Summary: "serve the fakes of all three APIs until interrupted",
		Usage: "[--addr HOST:PORT]", Env: []string{},
		Description: `Serves fakes of iVvy, Invitario and Alida, loaded with demo data, on one loopback address, and
prints the settings (environment variables, event ids, Alida GUIDs) that point invitekit at them.
Use --addr 127.0.0.1:0 for a free port.`,
		Example: "invitekit fake --addr 127.0.0.1:8080", Run: runFake})
}

func runFake(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "fake")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	set := fake.Demo()
	srv := &http.Server{Handler: set.Handler(), ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	printFakeSettings(e, base)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
		fmt.Fprintln(e.Stderr, "invitekit: fake stopped")
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}

// printFakeSettings prints the environment that points the CLI at the fakes
// and the demo data's identifiers. The fakes' demo credentials are not
// secrets.
func printFakeSettings(e *env, base string) {
	w := e.Stdout
	fmt.Fprintf(w, "invitekit fakes listening on %s\n\n", base)
	fmt.Fprintf(w, "export IVVY_BASE_URL=%s IVVY_API_KEY=%s IVVY_API_SECRET=%s\n", base, fake.IvvyKey, fake.IvvySecret)
	fmt.Fprintf(w, "export INVITARIO_BASE_URL=%s INVITARIO_EVENT_ID=%s INVITARIO_API_KEY=%s INVITARIO_STATION=%q\n",
		base, fake.InvitarioEventID, fake.InvitarioAppCode, fake.InvitarioStation)
	fmt.Fprintf(w, "export ALIDA_BASE_URL=%s ALIDA_COMMUNITY=%s ALIDA_USERNAME=%s ALIDA_PASSWORD=%s\n",
		base, fake.AlidaCommunity, fake.AlidaUsername, fake.AlidaPassword)
	fmt.Fprintf(w, "# or OAuth2: export ALIDA_CLIENT_ID=%s ALIDA_CLIENT_SECRET=%s ALIDA_TOKEN_URL=%s%s\n",
		fake.AlidaClientID, fake.AlidaClientSecret, base, fake.AlidaTokenPath)

	fmt.Fprintln(w, "\n# demo data")
	fmt.Fprintf(w, "# iVvy event %d has invitations and attendees\n", demoEvent)
	fmt.Fprintf(w, "# Alida community %s:\n", fake.AlidaCommunity)
	fmt.Fprintf(w, "#   open communication   %s (takes reports)\n", alidafake.DemoOpenCommunication)
	fmt.Fprintf(w, "#   closed communication %s (refuses reports)\n", alidafake.DemoClosedCommunication)
	emails := make([]string, 0, len(alidafake.DemoMembers))
	for email := range alidafake.DemoMembers {
		emails = append(emails, email)
	}
	sort.Strings(emails)
	for _, email := range emails {
		fmt.Fprintf(w, "#   member %s %s\n", alidafake.DemoMembers[email], email)
	}

	fmt.Fprintln(w, "\n# try")
	fmt.Fprintln(w, "invitekit ivvy ping")
	fmt.Fprintf(w, "invitekit ivvy invite --event %d --contacts 1,2,3 --dry-run\n", demoEvent)
	fmt.Fprintln(w, "invitekit invitario guests")
	fmt.Fprintln(w, "invitekit alida queued --after 2020-01-01")
	fmt.Fprintf(w, "invitekit alida report --event-type SurveyInvited --communication %s --members %s\n",
		alidafake.DemoOpenCommunication, alidafake.DemoMembers[emails[0]])
}
