// Scores Pagefind on kb's judged queries (../relevance.txt), with the same
// definitions as TestRelevance: the rank of the wanted page among the first
// five results; success@1, success@3 and MRR@5 over the lines that want a
// page; and, for lines that want nothing, how many pages were found.
//
// usage: node relevance.mjs SITE JUDGED
// SITE is a kb build's output with a Pagefind bundle in SITE/pagefind/.
// Pagefind gets the q= text only: it has no measure or type filters.
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, judged] = process.argv.slice(2);
if (!site || !judged) {
  console.error("usage: node relevance.mjs SITE JUDGED");
  process.exit(2);
}

// pagefind.js fetches its index relative to itself; Node's fetch does not
// read file: URLs, so those are read from disk here.
const netFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input.url ?? String(input);
  if (!url.startsWith("file:")) return netFetch(input, init);
  const wasm = url.endsWith(".wasm") || url.endsWith(".pagefind");
  return new Response(await readFile(fileURLToPath(url)), wasm ? { headers: { "content-type": "application/wasm" } } : {});
};

const bundle = pathToFileURL(`${site}/pagefind/`).href;
const pagefind = await import(bundle + "pagefind.js");
await pagefind.options({ basePath: bundle, baseUrl: "/" });
await pagefind.init();

let judgedN = 0, at1 = 0, at3 = 0, rr = 0;
const missed = [], noisy = [];
const lines = (await readFile(judged, "utf8")).split("\n");
for (const [i, raw] of lines.entries()) {
  const line = raw.trim();
  if (!line || line.startsWith("#")) continue;
  const [params, want] = line.split("\t");
  const q = new URLSearchParams(params).get("q") ?? "";
  const res = await pagefind.search(q);
  const top = [];
  for (const r of res.results.slice(0, 5)) top.push((await r.data()).url);
  if (want === "(none)") {
    if (res.results.length > 0) noisy.push(`  relevance.txt:${i + 1}: ${params}: ${res.results.length} pages`);
    continue;
  }
  judgedN++;
  const rank = top.indexOf(want) + 1;
  if (rank === 1) at1++;
  if (rank >= 1 && rank <= 3) at3++;
  else missed.push(`  relevance.txt:${i + 1}: ${params}: ${want} not in the top 3 [${top.slice(0, 3).join(" ")}]`);
  if (rank > 0) rr += 1 / rank;
}
const f = n => (n / judgedN).toFixed(3);
console.log(`Pagefind: ${judgedN} judged queries: success@1 ${f(at1)}, success@3 ${f(at3)}, MRR@5 ${f(rr)}`);
console.log(`not in the top 3 (${missed.length}):\n${missed.join("\n")}`);
console.log(`found pages where none should be (${noisy.length}):\n${noisy.join("\n")}`);
