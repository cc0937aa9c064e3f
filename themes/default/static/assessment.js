// The self-assessment's results without a server round trip. Progressive
// enhancement only: the form is a plain GET form whose results the server
// (kb serve, the Netlify function) makes from the address. When this script
// runs, it makes the same page here from the data kb build put in the form
// page (#kb-assess-data): the statements, and each measure's candidate items
// in the order Go breaks ties in. It repeats the steps of Evaluate and rank
// in internal/assess/result.go, the markup of "results" in
// internal/assess/pages.html and the CSV of Result.CSV; browser tests
// compare this page and its CSV with the server's for many answers.
const dataEl = document.getElementById('kb-assess-data')
const form = document.getElementById('answers')
const main = document.getElementById('maincontent')
const data = dataEl && JSON.parse(dataEl.textContent)
let formNodes = null // the form page's content while the results show
const formTitle = document.title

// h makes an element: h('a', {href: '/x'}, 'text', child, ...).
function h (tag, attrs, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v)
  for (const c of children) el.append(c)
  return el
}

// read takes each statement's answer from the form: a value of a radio, or
// '' when none is chosen.
function read () {
  const values = {}
  for (const m of data.measures) {
    for (const st of m.statements) {
      const field = form.elements.namedItem(st.id)
      values[st.id] = field ? field.value : ''
    }
  }
  return values
}

function scoreOf (v) {
  if (v === '') return -2
  if (v === 'dk') return -1
  return Number(v)
}

// query is the address's query, as the server writes it (Set.Query).
function query (values) {
  const parts = ['audience=' + encodeURIComponent(data.audience)]
  for (const m of data.measures) {
    for (const st of m.statements) {
      if (values[st.id] !== '') parts.push(st.id + '=' + values[st.id])
    }
  }
  return parts.join('&')
}

function positionOf (mean) {
  if (mean < 1) return data.positions[0]
  if (mean < 2) return data.positions[1]
  if (mean < 3) return data.positions[2]
  return data.positions[3]
}

// rank keeps the candidates sharing a focus topic or the measure, most
// shared topics first; sort is stable, so the candidates' order breaks ties.
function rank (candidates, topics) {
  const recs = []
  for (const c of candidates || []) {
    const item = data.items[c.item]
    const shared = topics.filter(t => (item.topics || []).includes(t))
    if (shared.length > 0 || c.measure) recs.push({ item, shared })
  }
  recs.sort((x, y) => y.shared.length - x.shared.length)
  return recs.slice(0, data.perMeasure)
}

// evaluate places each measure, furthest from good first (Set.Evaluate).
function evaluate (values) {
  const res = { answered: 0, total: 0, measures: [] }
  for (const m of data.measures) {
    let sum = 0; let n = 0; let low = 3
    const answers = []
    for (const st of m.statements) {
      res.total++
      const score = scoreOf(values[st.id])
      if (score !== -2) res.answered++
      answers.push({ st, score, label: data.labels[values[st.id]] })
      if (score >= 0) { sum += score; n++; low = Math.min(low, score) }
    }
    const mr = { m, answers, recs: [], position: data.positions[4], rank: 4 }
    if (n > 0) {
      mr.rank = sum / n
      mr.position = positionOf(mr.rank)
    }
    if (n > 0 && low < 3) {
      const topics = []
      for (const a of answers) {
        if (a.score !== low) continue
        for (const t of a.st.topics || []) if (!topics.includes(t)) topics.push(t)
      }
      mr.recs = rank(m.candidates, topics)
    }
    res.measures.push(mr)
  }
  res.measures.sort((x, y) => x.rank - y.rank)
  return res
}

// csv is the answers and recommendations as Result.CSV writes them, quoted
// as Go's encoding/csv quotes.
function csv (res) {
  const field = f => /[",\r\n]/.test(f) || /^\s/.test(f) ? '"' + f.replaceAll('"', '""') + '"' : f
  const rows = [data.csvHeader]
  for (const mr of res.measures) {
    for (const a of mr.answers) rows.push(['answer', mr.m.name, mr.position, a.st.id, a.st.text, a.label, '', '', '', ''])
    for (const r of mr.recs) {
      rows.push(['recommendation', mr.m.name, mr.position, '', '', '', r.item.title, r.item.kind, data.base + r.item.url, r.shared.join(' ')])
    }
  }
  return rows.map(row => row.map(field).join(',') + '\n').join('')
}

// download saves the CSV from here, as the server would send it.
function download (res) {
  return event => {
    event.preventDefault()
    const url = URL.createObjectURL(new Blob([csv(res)], { type: 'text/csv;charset=utf-8' }))
    const a = h('a', { href: url, download: data.csvName })
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }
}

// page is the markup of pages.html's "results" for a result.
function page (res, q) {
  const csvLink = h('a', { class: 'nhsuk-link', href: data.results + '?' + q + '&format=csv', download: '' }, 'Download your answers and the recommendations (CSV)')
  csvLink.addEventListener('click', download(res))
  const out = [
    h('h1', { tabindex: '-1' }, 'Where are we? ', h('span', { class: 'nhsuk-caption-l nhsuk-caption--bottom' }, data.name)),
    h('p', { class: 'nhsuk-body-l' }, `You answered ${res.answered} of ${res.total} statements. The measures furthest from good come first, each with what would help most.`),
    h('div', { class: 'nhsuk-inset-text' },
      h('span', { class: 'nhsuk-u-visually-hidden' }, 'Information: '),
      h('p', {}, 'These results are made from the address of this page and nothing else: this site has not stored your answers, logged them or sent them anywhere. Bookmark the page or download the answers to keep them.')),
    h('ul', { class: 'nhsuk-list kb-assess__actions' },
      h('li', {}, csvLink),
      h('li', {}, h('a', { class: 'nhsuk-link', href: data.form }, 'Start again'))),
    h('h2', {}, 'Where each measure stands'),
    ...weakest(res),
    h('dl', { class: 'nhsuk-summary-list kb-assess__summary' }, ...res.measures.map(mr =>
      h('div', { class: 'nhsuk-summary-list__row' },
        h('dt', { class: 'nhsuk-summary-list__key' }, h('a', { href: '#result-' + mr.m.slug }, mr.m.name)),
        h('dd', { class: 'nhsuk-summary-list__value' }, mr.position))))
  ]
  return out.concat(res.measures.map(section))
}

// weakest names the measures furthest from good (Result.Weakest): the
// answered ones sharing the lowest average, unless that is "In place".
function weakest (res) {
  const out = []
  for (const mr of res.measures) {
    if (mr.position === data.positions[4] || mr.rank >= 3 || (out.length > 0 && mr.rank !== out[0].rank)) break
    out.push(mr)
  }
  if (out.length === 0) return []
  const links = out.flatMap((mr, i) => (i > 0 ? [', '] : []).concat(h('a', { href: '#result-' + mr.m.slug }, mr.m.name)))
  return [h('p', { class: 'nhsuk-body kb-assess__weakest' }, 'Furthest from good: ', ...links, '.')]
}

// section is one measure's answers and what would help.
function section (mr) {
  const id = 'result-' + mr.m.slug
  const cell = text => h('td', { class: 'nhsuk-table__cell' }, text)
  const head = text => h('th', { scope: 'col', class: 'nhsuk-table__header' }, text)
  const el = h('section', { class: 'kb-assess__result', id, 'aria-labelledby': id + '-h' },
    h('h2', { id: id + '-h' }, mr.m.name + ': ' + mr.position),
    h('table', { class: 'nhsuk-table' },
      h('caption', { class: 'nhsuk-table__caption nhsuk-u-visually-hidden' }, 'Your answers for ' + mr.m.name),
      h('thead', { class: 'nhsuk-table__head' }, h('tr', { class: 'nhsuk-table__row' }, head('Statement'), head('Your answer'))),
      h('tbody', { class: 'nhsuk-table__body' }, ...mr.answers.map(a =>
        h('tr', { class: 'nhsuk-table__row' }, cell(a.st.text), cell(a.label))))))
  if (mr.recs.length > 0) {
    el.append(h('h3', {}, 'What would help most'), h('ul', { class: 'nhsuk-list kb-assess__recs' }, ...mr.recs.map(recommendation)))
  } else if (mr.position === data.positions[4]) {
    el.append(h('p', { class: 'nhsuk-body' }, 'Answer these statements to see what would help.'))
  }
  return el
}

function recommendation ({ item, shared }) {
  const p = h('p', { class: 'nhsuk-body-s' }, item.summary)
  if (shared.length > 0) {
    p.append(' ', h('span', { class: 'kb-assess__why' }, 'About: ' + shared.map(t => data.topics[t]).join(', ') + '.'))
  }
  return h('li', {}, h('a', { class: 'nhsuk-link', href: item.url }, item.title), ' ',
    h('span', { class: 'nhsuk-tag nhsuk-tag--grey' }, item.type), p)
}

// show puts the results of values in place of the form.
function show (values) {
  const q = query(values)
  const nodes = page(evaluate(values), q)
  if (!formNodes) {
    formNodes = document.createDocumentFragment()
    formNodes.append(...main.childNodes)
  }
  main.replaceChildren(...nodes)
  document.title = data.title + formTitle.slice(data.formTitle.length)
  window.scrollTo(0, 0)
  main.querySelector('h1').focus()
  return data.results + '?' + q
}

function showForm () {
  if (!formNodes) return
  main.replaceChildren(formNodes)
  formNodes = null
  document.title = formTitle
}

if (data && form && main) {
  form.addEventListener('submit', event => {
    let url
    try {
      const values = read()
      url = show(values)
      history.pushState({ kbAssess: values }, '', url)
    } catch (err) {
      showForm()
      return // the server makes the results instead
    }
    event.preventDefault()
  })
  window.addEventListener('popstate', event => {
    if (event.state && event.state.kbAssess) show(event.state.kbAssess)
    else showForm()
  })
}
