// Package serve is kb's preview server: it builds the site in memory, serves
// it, watches the sources, rebuilds what an edit reaches, and tells the open
// browser tabs showing a changed page to reload (server-sent events). A bad
// edit is shown as an overlay in the browser and in the terminal while the
// last good build goes on being served.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/render"
	"github.com/nhsx/kb/internal/search/web"
	"github.com/nhsx/kb/internal/watch"
)

// DefaultAddr is where the preview listens: loopback only, so a contributor's
// draft is never on the network unless they ask.
const DefaultAddr = "127.0.0.1:1313"

// Search keeps a search index in step with the preview. It is an interface
// so that the server does not depend on how search is done (internal/search).
type Search interface {
	// Update indexes a good build: every page on the first call, then the
	// pages an edit added or changed (up.Documents), and drops the URLs of
	// pages gone.
	Update(up *build.Update) error
	// Handler serves /search/ and /api/search for the latest build.
	Handler(m *build.Model) http.Handler
	// Close releases the index when the server stops.
	Close() error
}

// Options configure a preview server.
type Options struct {
	Build build.Options
	// Quiet is how long files must be still before a rebuild; Poll forces
	// polling; PollInterval is its period.
	Quiet        time.Duration
	Poll         bool
	PollInterval time.Duration
	Search       Search // nil: /api/search answers that search is unavailable
	Stdout       io.Writer
	Stderr       io.Writer
	Logger       *slog.Logger

	idleTimeout time.Duration // when set (by tests), replaces the constant
}

// Server is a running preview.
type Server struct {
	opt   Options
	b     *build.Incremental
	hub   *hub
	epoch string // tells a browser that reconnects whether the server restarted
	quit  chan struct{}
	// loopback is set when listening on a loopback address; requests then
	// must name a local host, which stops DNS-rebinding pages reading drafts.
	loopback bool

	mu sync.RWMutex
	st state
	// afterBuild, when set (by tests), hears about every rebuild once its
	// events have been sent.
	afterBuild func(buildReport)
}

// state is what the handlers serve; mu guards it.
type state struct {
	outs     map[string]render.Output // nil until the first good build
	model    *build.Model
	version  int
	changed  map[string]int // output path → version it last changed in
	problems []Problem
	search   http.Handler
}

// buildReport says what one rebuild did, for tests and the terminal.
type buildReport struct {
	Update   *build.Update
	Problems []Problem
}

// New prepares a server; nothing is read until Serve.
func New(opt Options) *Server {
	if opt.Stdout == nil {
		opt.Stdout = io.Discard
	}
	if opt.Stderr == nil {
		opt.Stderr = io.Discard
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(opt.Stderr, nil))
	}
	return &Server{opt: opt, b: build.NewIncremental(opt.Build, true), hub: newHub(),
		epoch: strconv.FormatInt(time.Now().UnixNano(), 36), quit: make(chan struct{}),
		st: state{changed: map[string]int{}}}
}

// Serve builds the site, serves it on ln and rebuilds on every change until
// ctx is done; then it closes every connection and waits for every goroutine
// it started. Content errors never stop it.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.loopback = isLoopback(ln.Addr())
	w, err := watch.New(s.watchOptions())
	if err != nil {
		ln.Close()
		return fmt.Errorf("watching files: %w", err)
	}
	s.rebuild(nil)
	srv := s.httpServer(ctx)
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	wg.Add(2)
	go func() { defer wg.Done(); errc <- srv.Serve(ln) }()
	go func() { defer wg.Done(); s.loop(ctx, w) }()
	fmt.Fprintf(s.opt.Stdout, "kb: previewing at http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	close(s.quit) // event streams end, so Shutdown need not wait for them
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	serr := srv.Shutdown(sctx)
	werr := w.Close()
	wg.Wait()
	if s.opt.Search != nil {
		werr = errors.Join(werr, s.opt.Search.Close())
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return errors.Join(serr, werr)
}

// Timeouts and sizes of the preview's connections. A slow or idle client
// holds a connection (and its buffers) only so long: headers must arrive
// within readHeaderTimeout, and a keep-alive connection with no request is
// closed after idleTimeout. No read or write timeout: the event streams stay
// open for as long as a tab shows a page, and search bounds its own time.
// Request lines and headers are capped at web.MaxHeaderBytes (bigger
// answers 431).
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 60 * time.Second
)

// httpServer is the preview's HTTP server; its requests' contexts end with ctx.
func (s *Server) httpServer(ctx context.Context) *http.Server {
	idle := idleTimeout
	if s.opt.idleTimeout > 0 {
		idle = s.opt.idleTimeout
	}
	return &http.Server{Handler: s.Handler(), ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idle,
		MaxHeaderBytes: web.MaxHeaderBytes, BaseContext: func(net.Listener) context.Context { return ctx }}
}

func (s *Server) watchOptions() watch.Options {
	o := s.b.Options()
	return watch.Options{
		Dirs: []string{filepath.Join(o.Source, "content"), filepath.Join(o.Source, "layouts"),
			filepath.Join(o.Source, "static"), o.ThemeDir},
		Files: []string{filepath.Join(o.Source, "site.yaml"), filepath.Join(o.Source, "topics.yaml"),
			filepath.Join(o.Source, "synonyms.txt")},
		Quiet: s.opt.Quiet, Poll: s.opt.Poll, Interval: s.opt.PollInterval, Logger: s.opt.Logger,
	}
}

// loop rebuilds after each batch of changes, one build at a time: changes
// made during a build are gathered by the watcher into the next batch.
func (s *Server) loop(ctx context.Context, w *watch.Watcher) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.quit:
			return
		case paths := <-w.C:
			s.rebuild(paths)
		}
	}
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// Listen opens addr, or DefaultAddr when addr is empty. When the default port
// is taken (another preview running), it picks a free one rather than fail.
func Listen(addr string) (net.Listener, error) {
	if addr != "" {
		return net.Listen("tcp", addr)
	}
	ln, err := net.Listen("tcp", DefaultAddr)
	if err != nil {
		return net.Listen("tcp", "127.0.0.1:0")
	}
	return ln, nil
}
