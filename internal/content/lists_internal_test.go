package content

import (
	"slices"
	"testing"
	"unsafe"
)

// A page's topics and organisations share one array: appending to either
// must never write into the other.
func TestListsTogetherKeepEachListItsOwn(t *testing.T) {
	topics, orgs := listsTogether([]string{"dspt", "nhs-app"}, []string{"Org A", "Org B"})
	if !slices.Equal(topics, []string{"dspt", "nhs-app"}) || !slices.Equal(orgs, []string{"Org A", "Org B"}) {
		t.Fatalf("got %v and %v", topics, orgs)
	}
	_ = append(topics, "sepsis-alerts")
	if orgs[0] != "Org A" {
		t.Errorf("appending to the topics changed the organisations: %v", orgs)
	}
	if a, b := listsTogether(nil, []string{"Org A"}); a != nil || len(b) != 1 {
		t.Errorf("no topics: got %v and %v", a, b)
	}
	if a, b := listsTogether([]string{"dspt"}, []string{}); len(a) != 1 || b == nil || len(b) != 0 {
		t.Errorf("no organisations: got %v and %#v, want the empty list kept as given", a, b)
	}
}

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
