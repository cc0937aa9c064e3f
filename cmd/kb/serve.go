package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/exec"
	"runtime"

	"github.com/nhsx/kb/internal/serve"
)

const serveArgs = "[--source DIR] [--addr 127.0.0.1:1313] [--drafts=false] [--open] [--poll]"

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("serve", serveArgs, "Preview the knowledge base while you edit it: every save shows in the browser, and mistakes are shown there too", stderr)
	var opt serve.Options
	fs.StringVar(&opt.Build.Source, "source", ".", "the knowledge base `folder`")
	fs.StringVar(&opt.Build.ThemeDir, "theme", "", "the theme `folder` (default SOURCE/themes/default)")
	fs.BoolVar(&opt.Build.Drafts, "drafts", true, "show pages marked draft: true, each with a \"Draft: not published\" banner; --drafts=false previews the site as kb build publishes it")
	addr := fs.String("addr", "", "the `address` to listen on (default "+serve.DefaultAddr+", this computer only)")
	open := fs.Bool("open", false, "open the preview in the default browser")
	fs.BoolVar(&opt.Poll, "poll", false, "check for changes by polling instead of file notifications (for network drives and containers)")
	if code := parseNoArgs(fs, args); code >= 0 {
		return code
	}
	opt.Build.Out = "" // the preview is built in memory: public/ is never touched
	opt.Stdout, opt.Stderr = stdout, stderr
	opt.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	opt.Search = serve.NewSearch()
	defer setMemoryPolicy(serveGCPercent, 0)()
	ln, err := serve.Listen(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "kb serve: %v: choose another --addr, such as 127.0.0.1:0 for any free port\n", err)
		return 1
	}
	// Absolute links (sitemap, feed, robots.txt) stay on the preview, not
	// the live site.
	opt.Build.BaseURL = "http://" + ln.Addr().String()
	if *open {
		openBrowser(opt.Build.BaseURL + "/")
	}
	if err := serve.New(opt).Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "kb serve: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "kb: preview stopped")
	return 0
}

// openBrowser asks the desktop to open url; failing is not worth stopping for.
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if cmd.Start() == nil {
		go cmd.Wait() // xdg-open hands over to the browser and exits at once
	}
}
