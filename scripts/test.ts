/**
 * Runs the whole test suite (`bun test` over every package) and ends with the one line CI
 * reads: `N passed, N failed` (plus skipped). Exits non-zero when any test fails or none ran.
 * Extra arguments go to `bun test` (a path filter, `-t pattern`, ...).
 */
const args = process.argv.slice(2);
// A generous per-test limit: the heavy tests (Node build, deep trees) must not flake on a busy CI machine.
const proc = Bun.spawn(['bun', 'test', '--timeout=60000', ...args], {
  cwd: new URL('..', import.meta.url).pathname,
  stdout: 'pipe',
  stderr: 'pipe',
  env: process.env,
});

let summary = '';
async function pump(stream: ReadableStream<Uint8Array>, out: NodeJS.WriteStream): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const text = decoder.decode(chunk, { stream: true });
    out.write(text);
    summary = (summary + text).slice(-4096); // bun prints its totals last
  }
}
await Promise.all([pump(proc.stdout, process.stdout), pump(proc.stderr, process.stderr)]);
const code = await proc.exited;

const count = (word: string): number => {
  const m = new RegExp(`^\\s*(\\d+) ${word}\\s*$`, 'm').exec(summary);
  return m ? Number(m[1]) : 0;
};
const passed = count('pass');
const failed = count('fail');
const skipped = count('skip');
const broken = code !== 0 && failed === 0 ? 1 : 0; // bun failed outside a test (e.g. a file that does not load)
console.log(`\n${passed} passed, ${failed + broken} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(code !== 0 || passed === 0 ? 1 : 0);
