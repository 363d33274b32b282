/**
 * The benchmark's browsers for one API process, in a process of their own: opens N streams to
 * the URL, prints `ready` once every one has its snapshot, notes when each `delta` frame arrives
 * on each stream (wall clock, ms, as the chunk is read), and on a `report` line on stdin prints
 * `{ arrivals: { id: [t, …] }, bytes }` as one JSON line and exits.
 */
const [url, count] = [process.argv[2]!, Number(process.argv[3] ?? 200)];
const arrivals = new Map<string, number[]>();
const controllers: AbortController[] = [];
let bytes = 0;
let ready = 0;
const now = () => performance.timeOrigin + performance.now();

const readers = Array.from({ length: count }, async () => {
  const c = new AbortController();
  controllers.push(c);
  const res = await fetch(`${url}/api/stream`, { signal: c.signal });
  let buf = '';
  let snapshot = false;
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as ReadableStream<Uint8Array>) {
      const t = now();
      buf += decoder.decode(chunk, { stream: true });
      if (!snapshot && buf.includes('event: snapshot\n')) {
        snapshot = true;
        if (++ready === count) console.log('ready');
      }
      for (const m of buf.matchAll(/event: delta\nid: (\S+)\ndata: [^\n]*\n\n/g)) {
        (arrivals.get(m[1]!) ?? arrivals.set(m[1]!, []).get(m[1]!)!).push(t);
        bytes = Math.max(bytes, m[0].length);
      }
      buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
    }
  } catch {
    // aborted at the end
  }
});

for await (const line of console) {
  if (line.trim() !== 'report') continue;
  console.log(JSON.stringify({ arrivals: Object.fromEntries(arrivals), bytes }));
  for (const c of controllers) c.abort();
  await Promise.all(readers);
  process.exit(0);
}
