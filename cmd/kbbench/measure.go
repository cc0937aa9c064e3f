package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// sample is one timed run of a command.
type sample struct {
	wall time.Duration
	cpu  time.Duration // user and system time: less swayed by a loaded machine than wall time
	peak int64         // the process's maximum resident set, in bytes
	load float64       // the one-minute load average as the run started
}

// job is a command to time: its arguments, extra environment, and the
// limits beyond which it is stopped (so a tool that cannot cope with a
// large corpus fails its row instead of taking the shared machine down).
type job struct {
	args    []string
	env     []string
	dir     string
	rssCap  int64 // bytes; 0 for no cap
	timeout time.Duration
}

// errOverCap reports a run stopped by the watchdog.
var errOverCap = errors.New("stopped: its memory passed the cap")

// measure runs j once and returns its wall time and peak memory, read from
// the kernel's accounting of the finished child (getrusage's ru_maxrss), so
// it costs the measured process nothing. A run that fails is an error
// carrying the end of its output.
func measure(ctx context.Context, j job) (sample, error) {
	if j.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, j.timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, j.args[0], j.args[1:]...)
	cmd.Dir = j.dir
	cmd.Env = append(cleanEnv(os.Environ()), j.env...)
	var out tail
	cmd.Stdout, cmd.Stderr = &out, &out
	s := sample{load: loadAverage()}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return s, err
	}
	over := watch(cmd.Process.Pid, j.rssCap, cmd.Process.Kill)
	err := cmd.Wait()
	s.wall = time.Since(start)
	s.peak = maxRSS(cmd.ProcessState)
	s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if <-over {
		return s, fmt.Errorf("%s %w (%s)", j.args[0], errOverCap, mb(j.rssCap))
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return s, fmt.Errorf("%s: stopped after %s (-timeout): %w", j.args[0], j.timeout, ctx.Err())
	}
	if ctx.Err() != nil {
		return s, fmt.Errorf("%s: stopped: %w", j.args[0], ctx.Err())
	}
	if err != nil {
		return s, fmt.Errorf("%s: %v\n%s", strings.Join(j.args, " "), err, out.String())
	}
	return s, nil
}

// cleanEnv drops GOGC and GOMEMLIMIT from the environment the commands
// inherit: kb and Hugo are both Go programs, and a setting left in the
// shell of whoever runs the benchmark would change both tools' figures.
// Settings being measured are passed explicitly (job.env).
func cleanEnv(env []string) []string {
	var kept []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GOGC=") && !strings.HasPrefix(kv, "GOMEMLIMIT=") {
			kept = append(kept, kv)
		}
	}
	return kept
}

// watch polls the process's resident set every quarter second and kills it
// once it passes limit; the channel says, after the process ends, whether
// it did. Reading /proc costs the process nothing; where there is no /proc
// the cap is not enforced.
func watch(pid int, limit int64, kill func() error) <-chan bool {
	over := make(chan bool, 1)
	if limit <= 0 {
		over <- false
		return over
	}
	go func() {
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for range tick.C {
			rss, ok := residentBytes(pid)
			if !ok {
				over <- false
				return
			}
			if rss > limit {
				kill()
				over <- true
				return
			}
		}
	}()
	return over
}

// residentBytes reads VmRSS from /proc/PID/status; false once the process
// has gone (or on a system without /proc).
func residentBytes(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	for sc := bufio.NewScanner(bytes.NewReader(b)); sc.Scan(); {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return kiB(v), true
		}
	}
	return 0, false // a zombie has no VmRSS line: it has finished
}

// memInfo reads one field of /proc/meminfo in bytes (0 if unknown).
func memInfo(field string) int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for sc := bufio.NewScanner(bytes.NewReader(b)); sc.Scan(); {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			return kiB(v)
		}
	}
	return 0
}

// kiB parses "  1234 kB" into bytes.
func kiB(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
	return n << 10
}

// loadAverage is the one-minute load average (0 where unknown): every
// figure is printed with the load it was taken under.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b) + " 0")[0], 64)
	return f
}

// tail keeps the last 4 KiB written to it: enough of a failed command's
// output to say why, without holding a chatty build's whole log.
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = t.b[len(t.b)-4096:]
	}
	return len(p), nil
}

func (t *tail) String() string { return string(t.b) }
