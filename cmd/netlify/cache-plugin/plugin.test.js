// Tests of the cache plugin against a fake utils.cache that keeps files in
// a temporary folder, as Netlify's does between builds.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { onPreBuild, onPostBuild } from './plugin.js'

// fakeCache copies paths to and from store, as utils.cache does: restore
// reports false when nothing was saved, save when there is nothing to save.
function fakeCache(store) {
  return {
    async save(path) {
      if (!existsSync(path)) return false
      await rm(join(store, path), { recursive: true, force: true })
      await cp(path, join(store, path), { recursive: true })
      return true
    },
    async restore(path) {
      if (!existsSync(join(store, path))) return false
      await rm(path, { recursive: true, force: true })
      await cp(join(store, path), path, { recursive: true })
      return true
    },
  }
}

// inClone runs fn with the working directory set to a fresh folder, as each
// Netlify build starts from a fresh clone.
async function inClone(fn) {
  const dir = await mkdtemp(join(tmpdir(), 'kb-cache-plugin-'))
  const cwd = process.cwd()
  process.chdir(dir)
  try {
    return await fn(dir)
  } finally {
    process.chdir(cwd)
    await rm(dir, { recursive: true, force: true })
  }
}

// quiet captures console.log while fn runs.
async function quiet(fn) {
  const lines = []
  const log = console.log
  console.log = (...args) => lines.push(args.join(' '))
  try {
    await fn()
  } finally {
    console.log = log
  }
  return lines
}

test('the index saved after one build is there before the next', async () => {
  const store = await mkdtemp(join(tmpdir(), 'kb-cache-store-'))
  const utils = { cache: fakeCache(store) }
  try {
    const first = await inClone(async () => {
      const pre = await quiet(() => onPreBuild({ utils }))
      assert.equal(existsSync('.kb'), false)
      // The build command writes the index, and the site beside it.
      await mkdir('.kb/index.bleve/store', { recursive: true })
      await writeFile('.kb/index.bleve/index_meta.json', '{"storage":"scorch"}')
      await writeFile('.kb/index.bleve/store/000000000001.zap', 'segment')
      await mkdir('public')
      await writeFile('public/index.html', '<!doctype html>')
      const post = await quiet(() => onPostBuild({ utils }))
      return [...pre, ...post]
    })
    assert.deepEqual(first, [
      'kb cache: no .kb saved by an earlier build: kb indexes every page',
      'kb cache: saved .kb (2 files) for the next build',
    ])
    const second = await inClone(async () => {
      const lines = await quiet(() => onPreBuild({ utils }))
      assert.equal(await readFile('.kb/index.bleve/store/000000000001.zap', 'utf8'), 'segment')
      assert.equal(existsSync('public'), false, 'the output folder is not cached')
      return lines
    })
    assert.deepEqual(second, [
      'kb cache: restored .kb (2 files) from the last build: kb re-indexes only the pages that changed since',
    ])
  } finally {
    await rm(store, { recursive: true, force: true })
  }
})

test('a build that wrote no index saves nothing', async () => {
  const store = await mkdtemp(join(tmpdir(), 'kb-cache-store-'))
  try {
    const lines = await inClone(() => quiet(() => onPostBuild({ utils: { cache: fakeCache(store) } })))
    assert.deepEqual(lines, ['kb cache: no .kb to save'])
  } finally {
    await rm(store, { recursive: true, force: true })
  }
})
