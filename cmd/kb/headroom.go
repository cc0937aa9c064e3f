package main

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// buildHeadroom caps how far a build's heap may grow past what the last
// collection found live. Go's default lets the heap double between
// collections, which is a few hundred megabytes at 10,000 pages but over a
// gigabyte at 100,000, where the site model is large: there the build
// collects more often instead. Below the cap, GOGC alone decides, so small
// sites are not slowed. At 100,000 pages 128 MB against 256 MB took a fifth
// less peak memory (614 against 775 MB) for twice the collections' processor
// time (33 against 16 s), about a tenth more wall time (README, "Memory
// policy", has the figures).
const buildHeadroom = 128 << 20

// headroomPoll is how often the governor looks for a finished collection:
// a 100,000-page build collects about once a second.
const headroomPoll = 10 * time.Millisecond

// The runtime's figures the governor reads: the heap found live by the last
// collection, how many collections have finished, and what the soft limit
// counts besides the heap's objects.
var headroomMetrics = []string{
	"/gc/heap/live:bytes",
	"/gc/cycles/total:gc-cycles",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
}

// governor keeps the soft memory limit at the live heap plus headroom, and
// never above ceiling (0 for none), setting it again after each collection.
type governor struct {
	headroom, ceiling int64
	samples           []metrics.Sample
	cycles            uint64
}

func newGovernor(headroom, ceiling int64) *governor {
	g := &governor{headroom: headroom, ceiling: ceiling}
	for _, name := range headroomMetrics {
		g.samples = append(g.samples, metrics.Sample{Name: name})
	}
	return g
}

// run sets the limit after every collection until done is closed.
func (g *governor) run(done <-chan struct{}) {
	tick := time.NewTicker(headroomPoll)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			if limit, ok := g.next(); ok {
				debug.SetMemoryLimit(limit)
			}
		}
	}
}

// next reads the runtime's figures and, when a collection has finished
// since the last call, gives the limit to set.
func (g *governor) next() (int64, bool) {
	metrics.Read(g.samples)
	v := func(i int) int64 { return int64(g.samples[i].Value.Uint64()) }
	cycles := g.samples[1].Value.Uint64()
	if cycles == g.cycles {
		return 0, false
	}
	g.cycles = cycles
	// The limit counts all the memory the runtime holds from the system,
	// not only the heap: what is not heap (stacks, the runtime's own
	// records) comes on top of the live heap and its headroom.
	other := v(2) - v(3) - v(4) - v(5) - v(6)
	return g.limit(v(0), other), true
}

// limit is the soft limit for a live heap of live bytes when the runtime
// holds other bytes besides the heap.
func (g *governor) limit(live, other int64) int64 {
	limit := live + max(other, 0) + g.headroom
	if g.ceiling > 0 && limit > g.ceiling {
		limit = g.ceiling
	}
	return limit
}
