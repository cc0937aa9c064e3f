package par

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestForCallsEachIndexOnce(t *testing.T) {
	for name, loop := range map[string]func(int, func(int)){"For": For, "ForIO": ForIO} {
		for _, n := range []int{0, 1, 7, 1000} {
			seen := make([]int32, n)
			loop(n, func(i int) { atomic.AddInt32(&seen[i], 1) })
			for i, c := range seen {
				if c != 1 {
					t.Fatalf("%s, n=%d: index %d called %d times", name, n, i, c)
				}
			}
		}
	}
}

// ForIO's point is that items waiting (on a read) do not hold the other
// items back: here each of the first items waits until as many as ForIO
// promises are under way at once, which For's one goroutine a core cannot
// reach.
func TestForIORunsMoreItemsThanCoresAtOnce(t *testing.T) {
	want := ioFactor * runtime.GOMAXPROCS(0)
	var started atomic.Int32
	all := make(chan struct{})
	ForIO(want, func(int) {
		if started.Add(1) == int32(want) {
			close(all)
		}
		select {
		case <-all:
		case <-time.After(10 * time.Second):
			t.Errorf("only %d of %d items under way at once", started.Load(), want)
		}
	})
}

func TestForWithGivesEachGoroutineItsOwnState(t *testing.T) {
	var made atomic.Int32
	total := make([]int, 500)
	ForWith(len(total), func() []int { made.Add(1); return make([]int, 1) }, func(buf []int, i int) {
		buf[0]++ // would race if two goroutines shared buf
		total[i] = i
	})
	if m := made.Load(); m < 1 || m > 64 {
		t.Errorf("made %d states", m)
	}
	for i, v := range total {
		if v != i {
			t.Fatalf("item %d not done", i)
		}
	}
}
