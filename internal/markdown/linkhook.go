package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// linkRenderer is a goldmark instance whose links and images go through a
// hook: the page being rendered says where each destination as written
// leads (a ../guides/x.md link to /guides/x/), as Hugo's link render hooks
// do. The syntax tree is never rewritten, so one parse can be rendered by
// several goroutines, and a page's tree need not outlive its render.
type linkRenderer struct {
	md   goldmark.Markdown
	hook *linkHook
}

func newLinkRenderer() *linkRenderer {
	h := &linkHook{}
	md := newGoldmark(skipFrontMatter{}, goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(h, 100))))
	return &linkRenderer{md: md, hook: h}
}

// linkHook renders ast.Link and ast.Image with goldmark's own HTML renderer,
// given a shallow copy of the node that carries the resolved destination:
// escaping, titles, attributes and alt text stay exactly goldmark's.
type linkHook struct {
	dest        func(string) string // nil: destinations as written
	link, image renderer.NodeRendererFunc
}

// RegisterFuncs takes the place of the HTML renderer's link and image
// functions (the hook's priority is below it, so it registers last), keeping
// those functions to call.
func (h *linkHook) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	inner := captured{}
	html.NewRenderer().RegisterFuncs(inner)
	h.link, h.image = inner[ast.KindLink], inner[ast.KindImage]
	reg.Register(ast.KindLink, h.renderLink)
	reg.Register(ast.KindImage, h.renderImage)
}

// captured records the functions a node renderer registers.
type captured map[ast.NodeKind]renderer.NodeRendererFunc

func (c captured) Register(k ast.NodeKind, f renderer.NodeRendererFunc) { c[k] = f }

func (h *linkHook) renderLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if h.dest == nil || !entering {
		return h.link(w, src, n, entering)
	}
	to := h.dest(string(n.Destination))
	if to == string(n.Destination) {
		return h.link(w, src, n, entering)
	}
	cp := *n // the copy shares the children, which the renderer only reads
	cp.Destination = []byte(to)
	return h.link(w, src, &cp, entering)
}

func (h *linkHook) renderImage(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Image)
	if h.dest == nil || !entering {
		return h.image(w, src, n, entering)
	}
	to := h.dest(string(n.Destination))
	if to == string(n.Destination) {
		return h.image(w, src, n, entering)
	}
	cp := *n
	cp.Destination = []byte(to)
	return h.image(w, src, &cp, entering)
}
