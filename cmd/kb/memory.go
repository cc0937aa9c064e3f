package main

import (
	"bufio"
	"io/fs"
	"math"
	"os"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
)

// memoryPolicy is how a kb command tunes Go's garbage collector: how much
// the heap may grow between collections (GOGC's percentage) and a soft
// ceiling (GOMEMLIMIT's bytes) near which the collector works harder
// rather than let the process be killed for want of memory. Zero leaves a
// setting as the runtime has it.
type memoryPolicy struct {
	gcPercent int
	limit     int64
	// headroom, when set, is the most the heap may grow past the live heap
	// between collections (see buildHeadroom), under limit.
	headroom int64
}

// The collector's percentage for each kind of command, when the user set
// neither GOGC nor GOMEMLIMIT (README, "Memory policy", has the figures).
const (
	// A build keeps Go's default. At 10,000 pages on a 2-core machine,
	// collecting half as often (200) took 35% more peak memory and no less
	// processor time, and a quarter as often (400) 79% more memory and
	// more time: fresh memory costs page faults, and the machine's caches
	// are shared. make bench-gc measures it again.
	buildGCPercent = 100
	// A preview is long-lived and rebuilds often: memory buys shorter
	// pauses between a save and the reload.
	serveGCPercent = 400
)

// The share of the memory kb may use that the soft ceiling is set at: the
// rest is headroom for what the runtime does not count (stacks, the
// binary, memory the kernel has not yet taken back) and for other work.
const limitShare = 0.75

// choosePolicy decides a command's policy from the environment and the
// machine (fsys is the root file system: /proc and /sys/fs/cgroup are read
// through it). A GOGC or GOMEMLIMIT the user set has the last word, over
// both settings: the runtime has already applied it, and kb leaves the
// collector alone. Otherwise the command's percentage applies, under a
// ceiling of limitShare of the memory available to kb: the lesser of the
// memory the machine has free (MemAvailable) and the memory limit of any
// cgroup kb runs in, as containers and CI runners set.
func choosePolicy(getenv func(string) string, fsys fs.FS, gcPercent int, headroom int64) memoryPolicy {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return memoryPolicy{}
	}
	p := memoryPolicy{gcPercent: gcPercent, headroom: headroom}
	if avail := availableMemory(fsys); avail > 0 {
		p.limit = int64(float64(avail) * limitShare)
	}
	return p
}

// apply sets the policy on the running program until the returned
// function is called, which stops the headroom's governor and leaves the
// ceiling.
func (p memoryPolicy) apply() (stop func()) {
	if p.gcPercent != 0 {
		debug.SetGCPercent(p.gcPercent)
	}
	if p.limit > 0 {
		debug.SetMemoryLimit(p.limit)
	}
	if p.headroom == 0 {
		return func() {}
	}
	done := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		newGovernor(p.headroom, p.limit, p.gcPercent).run(done)
		close(ended)
	}()
	return func() {
		close(done)
		<-ended
		if p.limit > 0 {
			debug.SetMemoryLimit(p.limit)
		} else {
			debug.SetMemoryLimit(math.MaxInt64)
		}
	}
}

// setMemoryPolicy applies the policy chosen for this process, with the
// given collector percentage and headroom (0 for none), until stop.
func setMemoryPolicy(gcPercent int, headroom int64) (stop func()) {
	return choosePolicy(os.Getenv, os.DirFS("/"), gcPercent, headroom).apply()
}

// availableMemory is the lesser of MemAvailable and every cgroup memory
// limit above kb's own cgroup; 0 when neither can be read.
func availableMemory(fsys fs.FS) int64 {
	avail := meminfo(fsys, "MemAvailable")
	if lim := cgroupLimit(fsys); lim > 0 && (avail == 0 || lim < avail) {
		avail = lim
	}
	return avail
}

// meminfo reads one field of /proc/meminfo in bytes.
func meminfo(fsys fs.FS, field string) int64 { return procKB(fsys, "proc/meminfo", field) }

// procKB reads one "Field: n kB" line of a /proc file, such as meminfo or a
// process's status, in bytes; 0 when it cannot.
func procKB(fsys fs.FS, name, field string) int64 {
	f, err := fsys.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n << 10
		}
	}
	return 0
}

// cgroupLimit is the tightest memory limit on kb's cgroup or any cgroup
// above it, under cgroup v2 (memory.max) or v1's memory controller
// (memory.limit_in_bytes); 0 for none. /proc/self/cgroup names kb's
// cgroup; inside a container with its own cgroup namespace that is "/",
// and the limit is on the mount's root.
func cgroupLimit(fsys fs.FS) int64 {
	b, err := fs.ReadFile(fsys, "proc/self/cgroup")
	if err != nil {
		return 0
	}
	var tightest int64
	for _, line := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		var dir, file string
		switch {
		case parts[0] == "0" && parts[1] == "":
			dir, file = "sys/fs/cgroup", "memory.max"
		case hasController(parts[1], "memory"):
			dir, file = "sys/fs/cgroup/memory", "memory.limit_in_bytes"
		default:
			continue
		}
		for p := path.Clean("/" + parts[2]); ; p = path.Dir(p) {
			if lim := limitFile(fsys, path.Join(dir, p, file)); lim > 0 && (tightest == 0 || lim < tightest) {
				tightest = lim
			}
			if p == "/" {
				break
			}
		}
	}
	return tightest
}

func hasController(list, name string) bool {
	for _, c := range strings.Split(list, ",") {
		if c == name {
			return true
		}
	}
	return false
}

// limitFile reads a cgroup limit in bytes: 0 for "max", for v1's "no limit"
// (a number near the largest int64, rounded to the page size) and for a
// file that is not there.
func limitFile(fsys fs.FS, name string) int64 {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n <= 0 || n >= math.MaxInt64/2 {
		return 0
	}
	return n
}
