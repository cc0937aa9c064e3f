// Package par runs independent pieces of work on all cores. Parsing pages,
// resolving their links, relating them, rendering and indexing them are each
// a loop over thousands of independent items; this is the one worker pool
// they share.
package par

import (
	"runtime"
	"sync"
)

// For calls f(i) for every i in [0, n), on as many goroutines as there are
// cores, and returns when all calls have returned.
func For(n int, f func(i int)) {
	ForWith(n, func() struct{} { return struct{}{} }, func(_ struct{}, i int) { f(i) })
}

// ForWith is For with state for each goroutine, made by mk: a scratch buffer
// reused across the items one goroutine handles.
func ForWith[S any](n int, mk func() S, f func(s S, i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := mk()
			for i := range next {
				f(s, i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
