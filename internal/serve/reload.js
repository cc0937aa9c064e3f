// kb serve's live-reload client. Injected only by `kb serve`, never by
// `kb build`. It listens for server-sent events about the page it is on:
// "reload" when the page changed, "css" to swap stylesheets in place,
// "problems" to show what is wrong with the last edit, "ok" when it is fixed.
// No inline code and no innerHTML, so a strict Content Security Policy holds.
(function () {
  'use strict'
  var me = document.currentScript
  var version = me ? (new URL(me.src, location.href).searchParams.get('v') || '') : ''
  var overlay = null

  function connect () {
    var url = '/_kb/events?path=' + encodeURIComponent(location.pathname) +
      '&v=' + encodeURIComponent(version)
    var es = new EventSource(url)
    es.addEventListener('reload', function () {
      es.close()
      location.reload()
    })
    es.addEventListener('css', function (e) { swapStyles(JSON.parse(e.data).paths) })
    es.addEventListener('problems', function (e) { show(JSON.parse(e.data).problems) })
    es.addEventListener('ok', fixed)
    window.addEventListener('pagehide', function () { es.close() })
  }

  // swapStyles loads a fresh copy of each changed stylesheet beside the old
  // one and removes the old one once the new one applies: no flash, no reload.
  function swapStyles (paths) {
    var links = document.querySelectorAll('link[rel="stylesheet"]')
    Array.prototype.forEach.call(links, function (link) {
      var u = new URL(link.href, location.href)
      if (u.origin !== location.origin || paths.indexOf(u.pathname) < 0) return
      var fresh = link.cloneNode()
      u.searchParams.set('kb', Date.now().toString(36))
      fresh.href = u.pathname + u.search
      fresh.addEventListener('load', function () { link.remove() })
      link.after(fresh)
    })
  }

  function ensureStyles () {
    if (document.getElementById('kb-overlay-css')) return
    var css = document.createElement('link')
    css.id = 'kb-overlay-css'
    css.rel = 'stylesheet'
    css.href = '/_kb/overlay.css'
    document.head.appendChild(css)
  }

  // The panel is a dialog over the page. Opening it moves focus to its
  // heading, so that keyboard and screen reader users are taken to it, and
  // closing it (Hide, Escape, or the fix) gives focus back to where it was.
  // It is announced once: a rebuild with the same problems leaves it, and
  // the focus, as they are; problems the reader hid stay hidden until
  // they change.
  var shown = ''     // the problems on show, as JSON
  var dismissed = '' // the problems the reader hid, as JSON
  var before = null  // what had focus before the panel opened

  function show (problems) {
    var key = JSON.stringify(problems)
    if (key === shown || (!overlay && key === dismissed)) return
    ensureStyles()
    shown = key
    dismissed = ''
    if (overlay) { // new problems: the open panel shows them, focus stays
      fill(overlay.querySelector('.kb-overlay__box'), problems)
      return
    }
    before = document.activeElement
    overlay = document.createElement('div')
    overlay.id = 'kb-overlay'
    overlay.setAttribute('role', 'alertdialog')
    overlay.setAttribute('aria-modal', 'true')
    overlay.setAttribute('aria-labelledby', 'kb-overlay-title')
    overlay.setAttribute('aria-describedby', 'kb-overlay-note')
    var box = document.createElement('div')
    box.className = 'kb-overlay__box'
    overlay.appendChild(box)
    fill(box, problems)
    document.body.appendChild(overlay)
    overlay.querySelector('#kb-overlay-title').focus()
  }

  // fill writes the panel's contents: a heading, a note, each problem as
  // path:line:col: message, and the Hide button.
  function fill (box, problems) {
    box.replaceChildren()
    var title = document.createElement('h2')
    title.id = 'kb-overlay-title'
    title.tabIndex = -1
    title.textContent = problems.length === 1 ? 'kb found a problem' : 'kb found ' + problems.length + ' problems'
    var note = document.createElement('p')
    note.id = 'kb-overlay-note'
    note.textContent = 'You are seeing the last version that built. Fix the file and save: this message goes away by itself. Escape hides it.'
    var list = document.createElement('ul')
    problems.forEach(function (p) {
      var item = document.createElement('li')
      var pos = document.createElement('code')
      pos.className = 'kb-overlay__pos'
      pos.textContent = p.line ? p.file + ':' + p.line + ':' + p.col : p.file
      var msg = document.createElement('span')
      msg.className = 'kb-overlay__msg'
      msg.textContent = p.message
      item.append(pos, msg)
      list.appendChild(item)
    })
    var close = document.createElement('button')
    close.type = 'button'
    close.textContent = 'Hide'
    close.addEventListener('click', dismiss)
    box.append(title, note, list, close)
  }

  // dismiss hides the panel at the reader's request: the same problems do
  // not bring it back.
  function dismiss () {
    dismissed = shown
    hide()
  }

  // hide closes the panel and gives focus back.
  function hide () {
    if (!overlay) return
    var had = overlay.contains(document.activeElement)
    overlay.remove()
    overlay = null
    shown = ''
    if (had && before && before.isConnected && typeof before.focus === 'function') before.focus()
    before = null
  }

  function fixed () {
    dismissed = ''
    hide()
  }

  document.addEventListener('keydown', function (e) {
    if (overlay && e.key === 'Escape') { e.preventDefault(); dismiss() }
  })
  connect()
})()
