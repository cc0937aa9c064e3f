// A local Netlify build plugin that keeps kb's search index between builds.
// Netlify starts every build from a fresh clone, so without it kb build finds
// no .kb/index.bleve and indexes every page again; with it, a deploy after a
// one-page edit re-indexes that page.
//
// Only .kb/ is kept. kb never writes over public/ (a build moves it aside
// as .public.previous/), so restoring it saves nothing. Writing over the
// spare .public.previous/ skips rewriting unchanged files, but at 1,000
// pages that saved 0.7 s of processor time (user and system), while the spare
// is 2.5 times the index's size (35 MB) to fetch and copy back on every
// build. Netlify uploads only the files whose contents changed either way.
//
// It lives in cmd/netlify, Netlify's functions directory, and is ignored
// there: Netlify takes a folder for a function only if it holds main.go or
// <folder>.go (Go) or index.js or <folder>.js and the like (JavaScript),
// hence plugin.js, named as package.json's main.

import { readdir } from 'node:fs/promises'

// cached lists the folders kept, relative to the repository. Not exported:
// Netlify refuses a plugin that exports anything but its event handlers.
const cached = ['.kb']

// onPreBuild puts back what the last successful build saved.
export async function onPreBuild({ utils }) {
  for (const path of cached) {
    if (await utils.cache.restore(path)) {
      console.log(`kb cache: restored ${path} (${await count(path)} files) from the last build: kb re-indexes only the pages that changed since`)
    } else {
      console.log(`kb cache: no ${path} saved by an earlier build: kb indexes every page`)
    }
  }
}

// onPostBuild saves them for the next build; Netlify runs it only when the
// build command succeeded, so a failed build never replaces a good cache.
export async function onPostBuild({ utils }) {
  for (const path of cached) {
    if (await utils.cache.save(path)) {
      console.log(`kb cache: saved ${path} (${await count(path)} files) for the next build`)
    } else {
      console.log(`kb cache: no ${path} to save`)
    }
  }
}

// count is how many files are under dir, for the log.
async function count(dir) {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true })
    return entries.filter((e) => e.isFile()).length
  } catch {
    return 0
  }
}
