package main

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
	"testing/fstest"

	"github.com/nhsx/kb/internal/sitetest"
)

// The machine in these tests has 8 GiB available.
const meminfo8G = "MemTotal:       16777216 kB\nMemFree:         1000000 kB\nMemAvailable:    8388608 kB\n"

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestChoosePolicy(t *testing.T) {
	const gib = 1 << 30
	none := env(nil)
	for _, tc := range []struct {
		name string
		env  func(string) string
		fsys fstest.MapFS
		want memoryPolicy
	}{
		{"no cgroup: three-quarters of MemAvailable", none,
			fstest.MapFS{"proc/meminfo": {Data: []byte(meminfo8G)}},
			memoryPolicy{gcPercent: 150, headroom: 64, limit: 6 * gib}},
		{"GOGC set: the user's settings stand, both of them", env(map[string]string{"GOGC": "50"}),
			fstest.MapFS{"proc/meminfo": {Data: []byte(meminfo8G)}},
			memoryPolicy{}},
		{"GOMEMLIMIT set: likewise", env(map[string]string{"GOMEMLIMIT": "1GiB"}),
			fstest.MapFS{"proc/meminfo": {Data: []byte(meminfo8G)}},
			memoryPolicy{}},
		{"GOGC=off set: likewise", env(map[string]string{"GOGC": "off"}),
			fstest.MapFS{"proc/meminfo": {Data: []byte(meminfo8G)}},
			memoryPolicy{}},
		{"cgroup v2 limit below the machine's memory", none, fstest.MapFS{
			"proc/meminfo":                          {Data: []byte(meminfo8G)},
			"proc/self/cgroup":                      {Data: []byte("0::/ci/job\n")},
			"sys/fs/cgroup/ci/job/memory.max":       {Data: []byte("max\n")},
			"sys/fs/cgroup/ci/memory.max":           {Data: []byte("4294967296\n")},
			"sys/fs/cgroup/memory.max":              {Data: []byte("max\n")},
			"sys/fs/cgroup/ci/job/memory.max.other": {Data: []byte("1\n")},
		}, memoryPolicy{gcPercent: 150, headroom: 64, limit: 3 * gib}},
		{"cgroup v2 in its own namespace: the limit on the mount's root", none, fstest.MapFS{
			"proc/meminfo":             {Data: []byte(meminfo8G)},
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("2147483648\n")},
		}, memoryPolicy{gcPercent: 150, headroom: 64, limit: 1.5 * gib}},
		{"cgroup v1: the tightest of the cgroup and its parents", none, fstest.MapFS{
			"proc/meminfo":     {Data: []byte(meminfo8G)},
			"proc/self/cgroup": {Data: []byte("5:cpu,cpuacct:/a/b\n4:memory:/a/b\n0::/\n")},
			"sys/fs/cgroup/memory/a/b/memory.limit_in_bytes": {Data: []byte("4294967296\n")},
			"sys/fs/cgroup/memory/a/memory.limit_in_bytes":   {Data: []byte("2147483648\n")},
			"sys/fs/cgroup/memory/memory.limit_in_bytes":     {Data: []byte("9223372036854771712\n")},
		}, memoryPolicy{gcPercent: 150, headroom: 64, limit: 1.5 * gib}},
		{"cgroup v1 without a limit (as on this project's machine)", none, fstest.MapFS{
			"proc/meminfo":     {Data: []byte(meminfo8G)},
			"proc/self/cgroup": {Data: []byte("4:memory:/process_api/1afb\n0::/\n")},
			"sys/fs/cgroup/memory/process_api/1afb/memory.limit_in_bytes": {Data: []byte("9223372036854771712\n")},
			"sys/fs/cgroup/memory/memory.limit_in_bytes":                  {Data: []byte("9223372036854771712\n")},
		}, memoryPolicy{gcPercent: 150, headroom: 64, limit: 6 * gib}},
		{"cgroup limit above the memory available: MemAvailable rules", none, fstest.MapFS{
			"proc/meminfo":             {Data: []byte(meminfo8G)},
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("17179869184\n")},
		}, memoryPolicy{gcPercent: 150, headroom: 64, limit: 6 * gib}},
		{"a cgroup limit and no /proc/meminfo", none, fstest.MapFS{
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("2147483648\n")},
		}, memoryPolicy{gcPercent: 150, headroom: 64, limit: 1.5 * gib}},
		{"nothing readable (not Linux): the percentage alone", none, fstest.MapFS{},
			memoryPolicy{gcPercent: 150, headroom: 64}},
		{"unreadable limit files are no limit", none, fstest.MapFS{
			"proc/meminfo":             {Data: []byte(meminfo8G)},
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("lots\n")},
		}, memoryPolicy{gcPercent: 150, headroom: 64, limit: 6 * gib}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := choosePolicy(tc.env, tc.fsys, 150, 64); got != tc.want {
				t.Errorf("choosePolicy = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestCommandsSetPolicy runs kb check and kb build in-process and reads
// back the collector's settings: each command's percentage and a ceiling
// below the machine's memory when the user set neither variable, and the
// settings untouched when the user set one (the runtime already applied it).
func TestCommandsSetPolicy(t *testing.T) {
	if _, err := os.Stat("/proc/meminfo"); err != nil {
		t.Skip("no /proc/meminfo: kb sets no ceiling here")
	}
	theme := sitetest.ThemeDir(t)
	_, root := sitetest.Load(t, "testdata/ok/deep-nesting.txtar")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	for _, args := range [][]string{
		{"check", "--source", root, "--theme", theme},
		{"build", "--source", root, "--theme", theme, "--out", filepath.Join(t.TempDir(), "public"), "--index", ""},
	} {
		t.Run(args[0], func(t *testing.T) {
			for _, tc := range []struct {
				gogc, gomemlimit string
				wantPct          int
				wantCeiling      bool
			}{
				{"", "", buildGCPercent, true},
				{"50", "", 77, false},
				{"", "3GiB", 77, false},
			} {
				t.Setenv("GOGC", tc.gogc)
				t.Setenv("GOMEMLIMIT", tc.gomemlimit)
				debug.SetGCPercent(77)
				debug.SetMemoryLimit(math.MaxInt64)
				if code, _, stderr := kb(t, args...); code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				pct := debug.SetGCPercent(77)
				limit := debug.SetMemoryLimit(-1)
				if pct != tc.wantPct || (limit < math.MaxInt64) != tc.wantCeiling {
					t.Errorf("GOGC=%q GOMEMLIMIT=%q: percent %d, limit %d; want %d, a ceiling: %v",
						tc.gogc, tc.gomemlimit, pct, limit, tc.wantPct, tc.wantCeiling)
				}
				if tc.wantCeiling && (limit <= 0 || limit > meminfo(os.DirFS("/"), "MemTotal")) {
					t.Errorf("ceiling %d bytes: not within the machine's memory", limit)
				}
			}
		})
	}
}

// The governor sets a limit only after a collection has finished, at the
// live heap plus what the runtime holds besides the heap plus the headroom,
// and never above the ceiling.
func TestGovernorFollowsLiveHeap(t *testing.T) {
	const headroom = 32 << 20
	g := newGovernor(headroom, 0, 100)
	runtime.GC()
	limit, ok := g.next()
	if !ok {
		t.Fatal("no limit after a collection")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if limit < headroom+int64(ms.HeapAlloc)/2 || limit > headroom+int64(ms.Sys) {
		t.Errorf("limit %d: want the headroom (%d) over a live heap of about %d, within the runtime's %d bytes", limit, headroom, ms.HeapAlloc, ms.Sys)
	}
	if _, ok := g.next(); ok {
		t.Error("a second limit with no collection between")
	}
	if got := (&governor{headroom: headroom, ceiling: 40 << 20}).limit(20<<20, 1<<20, 0); got != 40<<20 {
		t.Errorf("limit under a ceiling of 40 MiB: %d", got)
	}
	if got := (&governor{headroom: headroom}).limit(20<<20, 1<<20, 0); got != 53<<20 {
		t.Errorf("limit for 20 MiB live, 1 MiB other: %d, want 53 MiB", got)
	}
}

// Files mapped into memory take from the headroom once they have grown past
// their allowance, down to the floor.
func TestGovernorCountsMappedFiles(t *testing.T) {
	g := &governor{headroom: 128 << 20}
	for _, tc := range []struct{ mapped, want int64 }{
		{0, 228 << 20},
		{mappedAllowance, 228 << 20},
		{mappedAllowance + 40<<20, 188 << 20},
		{mappedAllowance + 500<<20, 100<<20 + heapFloor},
	} {
		if got := g.limit(90<<20, 10<<20, tc.mapped); got != tc.want {
			t.Errorf("limit with %d MiB mapped: %d MiB, want %d MiB", tc.mapped>>20, got>>20, tc.want>>20)
		}
	}
	// The process maps its own binary: some bytes, where the system says.
	if _, err := os.Stat("/proc/self/status"); err == nil && residentMapped() <= 0 {
		t.Error("no resident mapped bytes read from /proc/self/status")
	}
}

// Below the floor the governor raises the collector's percentage so that
// the heap may grow by the floor; above it the policy's percentage stands.
func TestGovernorFloor(t *testing.T) {
	g := &governor{gcPercent: 100}
	for _, tc := range []struct {
		live int64
		want int
	}{
		{0, heapFloor * 100 / runtimeMinHeap},
		{runtimeMinHeap, heapFloor * 100 / runtimeMinHeap},
		{heapFloor / 4, 400},
		{heapFloor, 100},
		{4 * heapFloor, 100},
	} {
		if got := g.percent(tc.live); got != tc.want {
			t.Errorf("percent for %d bytes live: %d, want %d", tc.live, got, tc.want)
		}
	}
	if got := (&governor{gcPercent: 400}).percent(heapFloor / 2); got != 400 {
		t.Errorf("a policy of 400 under the floor: %d, want 400", got)
	}
}
