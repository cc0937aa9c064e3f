package render

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

// Once the build's context is done (Ctrl-C), the render starts no job: the
// workers finish what they hold, and every job left fails with the
// context's error instead of being rendered and written.
func TestRunToStartsNoJobOnceStopped(t *testing.T) {
	const n = 1000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ran, put atomic.Int32
	jobs := make([]Job, n)
	for i := range jobs {
		jobs[i] = Job{Path: fmt.Sprintf("p%d/index.html", i), Run: func() ([]byte, error) {
			ran.Add(1)
			return []byte("x"), nil
		}}
	}
	errs := RunTo(ctx, jobs, nil, func(i int, o Output) error {
		if put.Add(1) == 10 {
			cancel()
		}
		return nil
	})
	// Each worker holds at most one job that began before the stop.
	inFlight := int32(2 * runtime.GOMAXPROCS(0))
	if got := ran.Load(); got < 10 || got > 10+inFlight {
		t.Errorf("%d of %d jobs ran, want the 10 before the stop and at most %d in flight", got, n, inFlight)
	}
	if len(errs) != 1 || errs[0].Message() != context.Canceled.Error() {
		t.Errorf("diagnostics %v, want the one stop", errs)
	}
}

// A render that is not stopped runs every job once and puts each output
// under its own index.
func TestRunToPutsEveryOutputOnce(t *testing.T) {
	const n = 300
	jobs := make([]Job, n)
	for i := range jobs {
		body := fmt.Sprint(i)
		jobs[i] = Job{Path: body + "/index.html", Run: func() ([]byte, error) { return []byte(body), nil }}
	}
	seen := make([]atomic.Int32, n)
	errs := RunTo(context.Background(), jobs, nil, func(i int, o Output) error {
		if o.Path != jobs[i].Path || string(o.Data) != fmt.Sprint(i) {
			t.Errorf("output %d: %s %q", i, o.Path, o.Data)
		}
		seen[i].Add(1)
		return nil
	})
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	for i := range seen {
		if c := seen[i].Load(); c != 1 {
			t.Fatalf("output %d put %d times", i, c)
		}
	}
}
