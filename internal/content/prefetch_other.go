//go:build !linux

package content

// prefetch does nothing where kb does not ask the kernel to read ahead.
func prefetch(string) {}
