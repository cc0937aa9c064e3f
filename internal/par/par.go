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
	ForWith(n, none, func(_ struct{}, i int) { f(i) })
}

// ForIO is For for items that wait on the disk between their computing:
// reading a page's source, writing its output. It runs twice as many
// goroutines as there are cores, so that while one item waits for a read
// the core has another to work on. When the files are in the page cache it
// changes nothing; when they are not (a machine that has just started, or
// one whose kernel has reclaimed them, as this project's benchmark machine
// does with files untouched for seconds), a 100,000-page build took 137.8 s
// against 163.9 s on 2 cores, both after dropping the caches (README,
// "Performance").
func ForIO(n int, f func(i int)) {
	forOn(ioFactor*runtime.GOMAXPROCS(0), n, none, func(_ struct{}, i int) { f(i) })
}

// ioFactor is how many goroutines ForIO runs for each core.
const ioFactor = 2

func none() struct{} { return struct{}{} }

// ForWith is For with state for each goroutine, made by mk: a scratch buffer
// reused across the items one goroutine handles.
func ForWith[S any](n int, mk func() S, f func(s S, i int)) {
	forOn(runtime.GOMAXPROCS(0), n, mk, f)
}

// forOn runs f for every i in [0, n) on up to workers goroutines.
func forOn[S any](workers, n int, mk func() S, f func(s S, i int)) {
	workers = min(workers, n)
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
