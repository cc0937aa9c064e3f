package main

import (
	"os"
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

// heapFloor is the least a build's heap may grow between collections.
// While a build reads its pages the live heap is small, and Go's default
// (the heap may double) collected every few megabytes: at 10,000 pages,
// 49 of a build's 79 collections came in its first 1.3 seconds, with 13–35
// MB live. Below the floor the governor raises the collector's percentage
// so that the heap may grow by the floor instead; above it the percentage
// is the policy's own. The peak is not moved: it comes later, in the
// render, with more than the floor live.
const heapFloor = 64 << 20

// mappedAllowance is how much the files a build maps into memory may grow
// (the search index's segments, which bleve reads through mmap) before
// they take room from the heap's headroom, byte for byte. Mapped pages
// count in the process's resident memory as the heap does, and at 100,000
// pages they grow by 70-88 MB towards the end of the render, the build's
// peak; at 10,000 pages by less than the allowance, so that a 10,000-page
// build's collections are as before.
const mappedAllowance = 48 << 20

// runtimeMinHeap is the heap at which Go's collector first runs under
// GOGC=100 (the runtime's heapMinimum); the percentage scales it.
const runtimeMinHeap = 4 << 20

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
	// mapped gives the resident bytes of mapped files, as the system counts
	// them; the growth since the governor started is what counts against
	// the headroom (see mappedAllowance). nil for none.
	mapped     func() int64
	mappedBase int64
	// gcPercent is the policy's percentage, which the floor may raise.
	gcPercent int
	samples   []metrics.Sample
	cycles    uint64
}

func newGovernor(headroom, ceiling int64, gcPercent int) *governor {
	g := &governor{headroom: headroom, ceiling: ceiling, gcPercent: gcPercent, mapped: residentMapped}
	g.mappedBase = g.mapped()
	for _, name := range headroomMetrics {
		g.samples = append(g.samples, metrics.Sample{Name: name})
	}
	return g
}

// run sets the limit and the percentage after every collection until done
// is closed.
func (g *governor) run(done <-chan struct{}) {
	tick := time.NewTicker(headroomPoll)
	defer tick.Stop()
	// A policy that leaves the percentage to the runtime has no floor.
	floored := g.gcPercent > 0
	var percent int
	if floored {
		percent = g.percent(runtimeMinHeap)
		debug.SetGCPercent(percent)
		defer debug.SetGCPercent(g.gcPercent)
	}
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			if limit, ok := g.next(); ok {
				debug.SetMemoryLimit(limit)
				if p := g.percent(g.live()); floored && p != percent {
					percent = p
					debug.SetGCPercent(p)
				}
			}
		}
	}
}

// live is the heap the last collection found live, as last read by next.
func (g *governor) live() int64 { return int64(g.samples[0].Value.Uint64()) }

// percent is the collector's percentage for a live heap of live bytes: the
// policy's, or more while the policy's would let the heap grow by less than
// the floor.
func (g *governor) percent(live int64) int {
	if live <= 0 {
		live = runtimeMinHeap
	}
	return max(g.gcPercent, int(heapFloor*100/live))
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
	var mapped int64
	if g.mapped != nil {
		mapped = g.mapped() - g.mappedBase
	}
	return g.limit(v(0), other, mapped), true
}

// limit is the soft limit for a live heap of live bytes when the runtime
// holds other bytes besides the heap, and mapped files have grown by
// mapped bytes: the headroom, less what the files took past their
// allowance, though never below the floor.
func (g *governor) limit(live, other, mapped int64) int64 {
	room := max(g.headroom-max(mapped-mappedAllowance, 0), min(g.headroom, heapFloor))
	limit := live + max(other, 0) + room
	if g.ceiling > 0 && limit > g.ceiling {
		limit = g.ceiling
	}
	return limit
}

// residentMapped is the process's resident memory in mapped files
// (RssFile in /proc/self/status), in bytes; 0 where the system does not
// say, as on systems other than Linux.
func residentMapped() int64 { return procKB(os.DirFS("/"), "proc/self/status", "RssFile") }
