//go:build !unix

package sitetest

import "testing"

// Fifo skips the test: named pipes that open like files are a Unix thing
// (Windows has its own, under \\.\pipe\, never inside a folder).
func Fifo(tb testing.TB, path string) {
	tb.Helper()
	tb.Skipf("no named pipes in folders on this system: %s", path)
}
