// Command ace is the Ace server and its administration commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newApp(os.Stdin, os.Stdout).Run(ctx, os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "ace:", err)
		os.Exit(1)
	}
}
