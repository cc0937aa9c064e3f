package build

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// pointerSlots counts the non-nil pointer words in what is reachable from
// some roots, each object walked once: the words the collector follows on
// every cycle. At 100,000 pages a cycle costs about a cache miss for each
// (README, "The collector's cost is per pointer followed"), and unlike a
// timing the count does not move with the machine. Words are counted by
// where they are held (the struct field, or the element type of a slice or
// map), so that a change to the model shows where it took pointers away.
type pointerSlots struct {
	objects map[object]bool  // walked
	arrays  map[uintptr]bool // walked, by the end of their backing array
	maps    map[uintptr]bool // walked, by address
	by      map[string]int
}

// object is a value in memory by its address and size: a struct and its
// first field share an address, and a pointer may lead into a struct
// already walked as a whole (a page's Doc points to its own facts).
type object struct{ addr, size uintptr }

func newPointerSlots() *pointerSlots {
	return &pointerSlots{objects: map[object]bool{}, arrays: map[uintptr]bool{}, maps: map[uintptr]bool{}, by: map[string]int{}}
}

// first reports whether the addressable value v is met for the first time,
// and notes it.
func (c *pointerSlots) first(v reflect.Value) bool {
	o := object{v.Addr().Pointer(), v.Type().Size()}
	if c.objects[o] {
		return false
	}
	c.objects[o] = true
	return true
}

// add walks root.
func (c *pointerSlots) add(root any) { c.walk(reflect.ValueOf(root), "root") }

// total is the count over everything walked.
func (c *pointerSlots) total() int {
	n := 0
	for _, k := range c.by {
		n += k
	}
	return n
}

// top lists the k places holding most words, largest first.
func (c *pointerSlots) top(k int) []string {
	places := slices.SortedFunc(maps.Keys(c.by), func(a, b string) int {
		return cmp.Or(cmp.Compare(c.by[b], c.by[a]), strings.Compare(a, b))
	})
	out := make([]string, 0, k)
	for _, p := range places[:min(k, len(places))] {
		out = append(out, fmt.Sprintf("%d %s", c.by[p], p))
	}
	return out
}

// walk counts v's pointer words as held at place, and walks what they lead
// to if it has not yet.
func (c *pointerSlots) walk(v reflect.Value, place string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		c.by[place]++
		if c.first(v.Elem()) {
			c.walk(v.Elem(), v.Type().Elem().String())
		}
	case reflect.String:
		if v.Len() > 0 {
			c.by[place]++
		}
	case reflect.Slice:
		c.slice(v, place)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c.by[place]++
		if c.maps[v.Pointer()] {
			return
		}
		c.maps[v.Pointer()] = true
		in := v.Type().String()
		for it := v.MapRange(); it.Next(); {
			c.walk(it.Key(), in)
			c.walk(it.Value(), in)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Field(i)
			if f.Kind() == reflect.Struct && f.CanAddr() && !c.first(f) {
				continue // walked through a pointer to it
			}
			c.walk(f, v.Type().String()+"."+v.Type().Field(i).Name)
		}
	case reflect.Array:
		for i := range v.Len() {
			c.walk(v.Index(i), place)
		}
	case reflect.Interface:
		if !v.IsNil() {
			c.walk(v.Elem(), place)
		}
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		if !v.IsNil() {
			c.by[place]++
		}
	}
}

// slice counts a slice's word and walks its array from where the slice
// starts to the array's end, once for all the slices of one array: the
// collector marks the whole array whichever part is reachable.
func (c *pointerSlots) slice(v reflect.Value, place string) {
	if v.Cap() == 0 {
		return
	}
	c.by[place]++
	end := v.Pointer() + uintptr(v.Cap())*v.Type().Elem().Size()
	if c.arrays[end] {
		return
	}
	c.arrays[end] = true
	v = v.Slice(0, v.Cap())
	in := "[]" + v.Type().Elem().String() + " in " + place
	for i := range v.Len() {
		e := v.Index(i)
		if e.Kind() == reflect.Struct && !c.first(e) {
			continue // walked through a pointer to it
		}
		c.walk(e, in)
	}
}

// TestPointerSlots checks the count on a small graph whose words are known.
func TestPointerSlots(t *testing.T) {
	type inner struct{ S string }
	type node struct {
		Name string
		Next *node
		Tags []string
		In   inner
		Back *inner // into another node: what it leads to is walked there
	}
	shared := &node{Name: "shared"}
	nodes := make([]node, 2)
	tags := []string{"x", "y"}
	nodes[0] = node{Name: "a", Next: shared, Tags: tags, In: inner{"i"}}
	nodes[1] = node{Next: &nodes[0], Back: &nodes[0].In} // into the array: not walked again
	index := map[string]*node{"a": &nodes[0]}
	c := newPointerSlots()
	c.add(struct {
		All   []node
		First *node
		Rest  []node   // the same array: not walked again
		Some  []string // the same for tags
		Index map[string]*node
		Same  map[string]*node // the same map: not walked again
		Empty map[string]int
		Blank string
	}{All: nodes, First: &nodes[0], Rest: nodes[1:], Some: tags[1:], Index: index, Same: index})
	// All, First, Rest, Some, Index and Same: 6. nodes[0]: Name, Next, Tags,
	// In.S: 4, its tags: 2, shared's Name: 1. nodes[1]: Next, Back: 2. The
	// map's key and value: 2.
	if got, want := c.total(), 17; got != want {
		t.Errorf("pointer words = %d, want %d: %q", got, want, c.top(20))
	}
	for place, want := range map[string]int{"build.node.Tags": 1, "[]string in build.node.Tags": 2, "build.node.Next": 2, "build.node.Name": 2, "build.inner.S": 1} {
		if got := c.by[place]; got != want {
			t.Errorf("words held by %s = %d, want %d: %q", place, got, want, c.top(20))
		}
	}
}
