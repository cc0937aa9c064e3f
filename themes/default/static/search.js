// Live search: updates the results as you type and applies filters without a
// page load. Progressive enhancement only: /search/ is a plain GET form that
// works without this file. It fetches the same server-rendered page and swaps
// in its results, filters and errors, so there is one template for both.
const form = document.getElementById('kb-search')
const box = document.getElementById('search-query')
const status = document.getElementById('search-status')
const panel = document.getElementById('search-filter-panel')
const regions = ['search-results', 'search-filters', 'search-errors', 'search-query-message']

let pending = null
let timer = 0

function urlFor () {
  const params = new URLSearchParams(new FormData(form))
  for (const [k, v] of [...params]) {
    if (v === '') params.delete(k)
  }
  const q = params.toString()
  return form.action.split('?')[0] + (q ? '?' + q : '')
}

// copyAttrs makes an element of this page carry the new page's attributes
// (the error state of the search box) without replacing it, so typing and
// the caret are undisturbed.
function copyAttrs (id, next, names) {
  const mine = document.getElementById(id)
  const theirs = next.getElementById(id)
  if (!mine || !theirs) return
  for (const name of names) {
    const v = theirs.getAttribute(name)
    if (v === null) mine.removeAttribute(name)
    else if (mine.getAttribute(name) !== v) mine.setAttribute(name, v)
  }
}

async function update () {
  const url = urlFor()
  if (pending) pending.abort()
  pending = new AbortController()
  let html
  try {
    const res = await fetch(url, { signal: pending.signal, headers: { Accept: 'text/html' } })
    html = await res.text()
  } catch (err) {
    if (err.name !== 'AbortError') form.submit()
    return
  }
  const next = new DOMParser().parseFromString(html, 'text/html')
  const focused = document.activeElement && document.activeElement.id
  for (const id of regions) {
    const mine = document.getElementById(id)
    const theirs = next.getElementById(id)
    if (mine && theirs) mine.replaceChildren(...theirs.childNodes)
  }
  copyAttrs('search-side', next, ['hidden'])
  copyAttrs('search-query-group', next, ['class'])
  copyAttrs('search-query', next, ['class', 'aria-describedby'])
  // The status is a live region that stays in place, so screen readers
  // announce the new count; the error summary's role=alert announces itself.
  const count = next.getElementById('search-status')
  if (count && status) status.textContent = count.textContent
  history.replaceState(null, '', url)
  if (focused && focused !== box.id) {
    const el = document.getElementById(focused)
    if (el) el.focus()
  }
}

// On wide screens the filters sit beside the results, open.
function openOnWide (mq) {
  if (panel && mq.matches) panel.open = true
}

if (form && box) {
  document.body.classList.add('kb-search-live')
  const wide = window.matchMedia('(min-width: 48.0625em)')
  openOnWide(wide)
  wide.addEventListener('change', openOnWide)
  box.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(update, 200)
  })
  form.addEventListener('change', (e) => {
    if (e.target !== box) update()
  })
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    // A new search starts again from its first page.
    clearTimeout(timer)
    update()
  })
}
