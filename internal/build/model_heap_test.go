//go:build unix

// The model's mark cost is read as the process's processor time, which
// syscall.Getrusage gives on Unix only.

package build

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

// BenchmarkModelHeap reports the live heap once the first pass is done: the
// site model and what the build holds of every page until the second pass
// ends, which is what the collector marks on each cycle of the render.
// KB_MODEL_HEAPPROFILE names a file for the heap profile at that moment.
func BenchmarkModelHeap(b *testing.B) {
	src := os.Getenv("KB_CORPUS_10K")
	if src == "" {
		b.Skip("KB_CORPUS_10K is not set: run make bench, which generates the corpus")
	}
	opt := Options{Source: src, ThemeDir: sitetest.ThemeDir(b), Out: filepath.Join(b.TempDir(), "public")}
	opt.Defaults()
	if os.Getenv("KB_MODEL_HEAPPROFILE") != "" {
		runtime.MemProfileRate = 4 << 10 // finer than the default, for small objects
	}
	var live uint64
	var mark, kept, jobs float64
	for b.Loop() {
		inc := NewIncremental(opt, false)
		m, plan, err := inc.load(nil)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		live = ms.HeapAlloc
		mark = markCost()
		b.StopTimer()
		kept, jobs = pointersPerPage(b, inc, m, plan)
		b.StartTimer()
		if f := os.Getenv("KB_MODEL_HEAPPROFILE"); f != "" {
			out, err := os.Create(f)
			if err != nil {
				b.Fatal(err)
			}
			pprof.Lookup("heap").WriteTo(out, 0)
			out.Close()
		}
		runtime.KeepAlive(inc)
		runtime.KeepAlive(m)
	}
	b.ReportMetric(float64(live)/(1<<20), "live-MB")
	b.ReportMetric(mark*1000, "gc-cpu-ms/cycle")
	b.ReportMetric(kept, "pointers/page")
	b.ReportMetric(jobs, "job-pointers/page")
}

// pointersPerPage counts, by source file, the pointer words the build keeps
// through its render (see pointerSlots): those of the first parse's records
// and the site model, then those the jobs add. With -v it logs where the
// most are.
func pointersPerPage(b *testing.B, inc *Incremental, m *Model, plan patchPlan) (kept, jobs float64) {
	c := newPointerSlots()
	c.add(inc)
	c.add(m)
	model := c.total()
	c.add(inc.pick(m, plan).jobs)
	pages := float64(max(len(inc.pages), 1))
	b.Logf("pointer words: %d kept, %d more in the jobs; the most held by:\n%s", model, c.total()-model, strings.Join(c.top(15), "\n"))
	return float64(model) / pages, float64(c.total()-model) / pages
}

// markCost is the processor time one collection takes with the heap as it
// is, over a few forced collections: what every cycle of the render pays for
// the model, however little it allocates. It is the process's own time, as
// the kernel counts it, so that other work on the machine does not inflate
// it (the runtime's GC CPU metrics are estimated from wall time).
func markCost() float64 {
	const cycles = 5
	cpu := func() float64 {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
	}
	before := cpu()
	for range cycles {
		runtime.GC()
	}
	return (cpu() - before) / cycles
}
