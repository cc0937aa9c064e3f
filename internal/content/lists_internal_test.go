package content

import (
	"slices"
	"testing"
	"unsafe"
)

// Pack keeps each string as it was, each now a part of one string, in order.
func TestPackKeepsTheStringsInOne(t *testing.T) {
	list := []string{"/guides/a/", "", "/case-studies/b/", "/"}
	want := slices.Clone(list)
	Pack(list)
	if !slices.Equal(list, want) {
		t.Fatalf("packed %q, want %q", list, want)
	}
	base := unsafe.StringData(list[0])
	at := 0
	for i, s := range list {
		if s != "" && unsafe.StringData(s) != (*byte)(unsafe.Add(unsafe.Pointer(base), at)) {
			t.Errorf("%q (place %d) is not at byte %d of one string", s, i, at)
		}
		at += len(s)
	}
}
