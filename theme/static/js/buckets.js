// The bucketed indexes the build writes (pipeline/site/id_index.py: ids/, author_index.py:
// author-counts/): FOLDER/index.json says how many buckets there are, and a key lives in bucket
// fnv1a(key) % count, file XX.json. Fetched only when a lookup needs one bucket.

export function fnv1a(text) {  // as pipeline/site/id_index.fnv1a
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

export async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

const bucketCounts = new Map();  // folder URL → promise of its bucket count

// The bucket of `folder` (an absolute URL ending in "/") that holds `key`.
export async function fetchBucket(folder, key) {
  if (!bucketCounts.has(folder)) {
    bucketCounts.set(folder, fetchJson(new URL("index.json", folder)).then((index) => index.buckets));
  }
  const buckets = await bucketCounts.get(folder);
  const name = (fnv1a(key) % buckets).toString(16).padStart(2, "0");
  return fetchJson(new URL(`${name}.json`, folder));
}
