package markdown

import (
	"reflect"
	"testing"
)

// A Doc of facts, packed, answers as the whole Doc it came from: every
// link, link left as text, heading and anchor, and no anchor it lacks; so
// does one restored from its record, which gives the anchors in another
// order (the headings' first).
func TestPackedFactsAnswerAsTheWholeDoc(t *testing.T) {
	c := New()
	src := []byte("## Risks\n\nSee [b](b.md#x), ![i](i.png) and [left](as text.\n\n## Risks\n\n## Zebra {#a-custom}\n\n### Érable\n\nNote[^1] and [again](b.md).\n\n[^1]: A footnote.\n")
	d := c.Parse(src)
	f := d.Facts(nil)
	r := c.Restore(f.Record(), nil)
	for _, g := range []*Doc{f, r} {
		for name, pair := range map[string][2]any{
			"links": {d.Links(), g.Links()}, "raw": {d.RawLinks(), g.RawLinks()},
			"headings": {d.Headings(), g.Headings()}, "ids": {d.IDs(), g.IDs()},
		} {
			if !reflect.DeepEqual(pair[0], pair[1]) {
				t.Errorf("%s: facts %+v, whole %+v", name, pair[1], pair[0])
			}
		}
		for id := range d.IDs() {
			if !g.HasID(id) {
				t.Errorf("anchor %q lost", id)
			}
		}
		for _, id := range []string{"", "a", "risks-2", "zzz", "risk", "Risks"} {
			if g.HasID(id) != d.IDs()[id] {
				t.Errorf("HasID(%q) = %v", id, g.HasID(id))
			}
		}
		if !g.SameIDs(d) || !g.SameIDs(f) || g.SameIDs(c.Restore(Record{Headings: []Heading{{ID: "risks"}}}, nil)) {
			t.Error("SameIDs is wrong")
		}
	}
	if len(d.IDs()) < 4 || len(d.RawLinks()) == 0 || len(d.Links()) != 3 {
		t.Fatalf("the page does not exercise every fact: %v %v %v", d.IDs(), d.RawLinks(), d.Links())
	}
}

// Facts keep each string once per converter, and answer the same across
// converters and while other pages are packed on other goroutines.
func TestFactsShareStringsSafely(t *testing.T) {
	src := []byte("## Scope\n\nSee [b](../guides/b.md).\n\n## Timeline\n")
	c, other := New(), New()
	want := other.Parse(src).Facts(nil)
	docs := make([]*Doc, 16)
	done := make(chan int)
	for i := range docs {
		go func() { docs[i] = c.Parse(src).Facts(nil); done <- i }()
	}
	for range docs {
		<-done
	}
	for _, d := range docs {
		if !d.SameIDs(want) || !reflect.DeepEqual(d.Links(), want.Links()) || !reflect.DeepEqual(d.Headings(), want.Headings()) {
			t.Fatalf("facts differ: %+v %+v", d.Links(), d.Headings())
		}
	}
	if n := len(*c.strs.list.Load()); n != 5 { // b.md, scope, Scope, timeline, Timeline
		t.Errorf("%d strings kept, want 5", n)
	}
}

// A heading whose id is not an anchor (a record can say so) is not taken
// for one: the facts list their anchors instead.
func TestFactsOfAHeadingThatIsNoAnchor(t *testing.T) {
	c := New()
	d := c.Restore(Record{Headings: []Heading{{Level: 2, ID: "x", Text: "X"}}, NotIDs: []string{"x"}, IDs: []string{"y"}}, nil)
	if d.HasID("x") || !d.HasID("y") || !reflect.DeepEqual(d.IDs(), map[string]bool{"y": true}) {
		t.Errorf("anchors %v, x %v, y %v", d.IDs(), d.HasID("x"), d.HasID("y"))
	}
	if r := d.Record(); !reflect.DeepEqual(r.NotIDs, []string{"x"}) || !reflect.DeepEqual(r.IDs, []string{"y"}) {
		t.Errorf("recorded %+v", r)
	}
	if d.SameIDs(c.Restore(Record{Headings: []Heading{{Level: 2, ID: "x", Text: "X"}}, IDs: []string{"y"}}, nil)) {
		t.Error("SameIDs counts the heading's id")
	}
}
