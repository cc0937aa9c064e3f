//go:build unix

package sitetest

import (
	"syscall"
	"testing"
)

// Fifo makes a named pipe at path, for the tests that check kb never waits
// on one, or skips the test where the system cannot make it.
func Fifo(tb testing.TB, path string) {
	tb.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		tb.Skipf("cannot make a named pipe here: %v", err)
	}
}
