package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// stoppedBy is why a command was cancelled: the signal, which names the
// message and gives the exit status (128 + its number, as shells report).
type stoppedBy struct{ sig syscall.Signal }

func (s stoppedBy) Error() string { return s.name() + " received" }

func (s stoppedBy) name() string {
	switch s.sig {
	case syscall.SIGINT:
		return "Ctrl-C (SIGINT)"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.sig.String()
}

// notifyContext is signal.NotifyContext, but the context's cause keeps the
// signal, for the exit status. After the first signal kb stops listening, so
// a second one ends it at once, as it would any program.
func notifyContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			sig, _ := s.(syscall.Signal)
			cancel(stoppedBy{sig})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(ch); cancel(context.Canceled) }
}

// stopped reports a build cancelled by ctx in one line, and gives the exit
// status: 130 for Ctrl-C, 143 for SIGTERM, 1 for any other cancellation.
func stopped(ctx context.Context, stderr io.Writer, out string) int {
	var by stoppedBy
	if !errors.As(context.Cause(ctx), &by) {
		fmt.Fprintf(stderr, "kb: build stopped: nothing was published, %s is as it was\n", out)
		return 1
	}
	fmt.Fprintf(stderr, "kb: build stopped by %s: nothing was published, %s is as it was\n", by.name(), out)
	return 128 + int(by.sig)
}
