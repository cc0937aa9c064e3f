package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// previewHeap runs internal/serve's BenchmarkPreviewHeap on the corpus's
// copy, runs times, and returns the live heap of each run in bytes: the
// larger of its figures after the first build and after three edits.
// The preview is measured in-process because a live heap (what survives a
// collection) cannot be read from outside; the benchmark forces the
// collection and reads the runtime's own count.
func previewHeap(ctx context.Context, cfg *config, src string, runs int) ([]sample, error) {
	cmd := exec.CommandContext(ctx, cfg.goCmd, "test", "-run", "^$", "-bench", "^BenchmarkPreviewHeap$",
		"-benchtime", "1x", "-count", strconv.Itoa(runs), "-timeout", "30m", "./internal/serve")
	cmd.Dir = cfg.repo
	cmd.Env = append(cleanEnv(os.Environ()), "KB_CORPUS_10K="+src)
	load := loadAverage()
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test ./internal/serve: %v\n%s", err, out)
	}
	heaps := benchMetric(string(out), "BenchmarkPreviewHeap", "live-MB", "live-MB-edited")
	if len(heaps) == 0 {
		return nil, fmt.Errorf("BenchmarkPreviewHeap printed no live-MB figure:\n%s", out)
	}
	var ss []sample
	for _, h := range heaps {
		ss = append(ss, sample{peak: int64(h * 1e6), load: load, wall: time.Since(start) / time.Duration(len(heaps))})
	}
	return ss, nil
}

// benchMetric reads a Go benchmark's output and returns, for each result
// line of the benchmark named, the largest of the metrics named.
func benchMetric(out, name string, units ...string) []float64 {
	var vals []float64
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || (f[0] != name && !strings.HasPrefix(f[0], name+"-")) {
			continue
		}
		best, found := 0.0, false
		for i := 1; i+1 < len(f); i++ {
			for _, u := range units {
				if f[i+1] != u {
					continue
				}
				if v, err := strconv.ParseFloat(f[i], 64); err == nil {
					best, found = max(best, v), true
				}
			}
		}
		if found {
			vals = append(vals, best)
		}
	}
	return vals
}
