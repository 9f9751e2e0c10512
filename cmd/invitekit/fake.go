package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/invitekit/invitekit/fake"
)

func init() {
	register("", "fake", "serve the fakes of all three APIs until interrupted (--addr 127.0.0.1:PORT)", runFake)
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

// printFakeSettings prints the environment that points the CLI at the fakes.
// The fakes' demo credentials are not secrets.
func printFakeSettings(e *env, base string) {
	fmt.Fprintf(e.Stdout, "invitekit fakes listening on %s\n\n", base)
	fmt.Fprintf(e.Stdout, "export IVVY_BASE_URL=%s IVVY_API_KEY=%s IVVY_API_SECRET=%s\n", base, fake.IvvyKey, fake.IvvySecret)
	fmt.Fprintf(e.Stdout, "export INVITARIO_BASE_URL=%s INVITARIO_EVENT_ID=%s INVITARIO_API_KEY=%s INVITARIO_STATION=%q\n",
		base, fake.InvitarioEventID, fake.InvitarioAppCode, fake.InvitarioStation)
	fmt.Fprintf(e.Stdout, "export ALIDA_BASE_URL=%s ALIDA_COMMUNITY=%s ALIDA_USERNAME=%s ALIDA_PASSWORD=%s\n",
		base, fake.AlidaCommunity, fake.AlidaUsername, fake.AlidaPassword)
	fmt.Fprintf(e.Stdout, "# or OAuth2: export ALIDA_CLIENT_ID=%s ALIDA_CLIENT_SECRET=%s ALIDA_TOKEN_URL=%s%s\n",
		fake.AlidaClientID, fake.AlidaClientSecret, base, fake.AlidaTokenPath)
}
