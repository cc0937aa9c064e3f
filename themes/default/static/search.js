// Live search: updates the results as you type and applies filters without a
// page load. Progressive enhancement only: /search/ is a plain GET form that
// works without this file. It fetches the same server-rendered page and swaps
// in its results and filters, so there is one template for both.
const form = document.getElementById('kb-search')
const box = document.getElementById('search-query')
const status = document.getElementById('search-status')
const regions = ['search-results', 'search-filters']

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
  // The status is a live region that stays in place, so screen readers
  // announce the new count.
  const count = next.getElementById('search-status')
  if (count && status) status.textContent = count.textContent
  const summary = next.querySelector('.nhsuk-error-summary')
  const mineSummary = document.querySelector('.nhsuk-error-summary')
  if (mineSummary && !summary) mineSummary.remove()
  history.replaceState(null, '', url)
  if (focused && focused !== box.id) {
    const el = document.getElementById(focused)
    if (el) el.focus()
  }
}

if (form && box) {
  document.body.classList.add('kb-search-live')
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
