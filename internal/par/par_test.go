package par

import (
	"sync/atomic"
	"testing"
)

func TestForCallsEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		seen := make([]int32, n)
		For(n, func(i int) { atomic.AddInt32(&seen[i], 1) })
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: index %d called %d times", n, i, c)
			}
		}
	}
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
