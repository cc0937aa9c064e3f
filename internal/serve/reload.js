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
    es.addEventListener('ok', hide)
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

  // show puts the problems over the page, each as path:line:col: message.
  function show (problems) {
    ensureStyles()
    hide()
    overlay = document.createElement('div')
    overlay.id = 'kb-overlay'
    overlay.setAttribute('role', 'alertdialog')
    overlay.setAttribute('aria-labelledby', 'kb-overlay-title')
    var box = document.createElement('div')
    box.className = 'kb-overlay__box'
    var title = document.createElement('h2')
    title.id = 'kb-overlay-title'
    title.textContent = problems.length === 1 ? 'kb found a problem' : 'kb found ' + problems.length + ' problems'
    var note = document.createElement('p')
    note.textContent = 'You are seeing the last version that built. Fix the file and save: this message goes away by itself.'
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
    close.addEventListener('click', hide)
    box.append(title, note, list, close)
    overlay.appendChild(box)
    document.body.appendChild(overlay)
  }

  function hide () {
    if (overlay) overlay.remove()
    overlay = null
  }

  connect()
})()
