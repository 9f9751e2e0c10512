// Command ping is the smallest consumer of gen/ivvy: one signed ping. Its
// size is compared with nethttp's by TestPingBinarySize.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/invitekit/invitekit/gen/ivvy"
)

func main() {
	api, err := ivvy.New(os.Getenv("IVVY_API_KEY"), os.Getenv("IVVY_API_SECRET"), ivvy.WithBaseURL(os.Getenv("IVVY_BASE_URL")))
	if err != nil {
		panic(err)
	}
	res, err := api.Ping(context.Background())
	fmt.Println(res, err)
}
