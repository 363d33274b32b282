/**
 * A stream opened with a session must not outlive it: the body is passed through unchanged, at
 * the reader's pace (nothing is read ahead), and ended when the session expires. The browser's
 * EventSource then reconnects, gets a 401, and the dashboard asks for a login.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function endStreamAt(res: Response, expiresAt: number, now: () => number): Response {
  if (!res.body) return res;
  const reader = res.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const arm = () => {
          const left = expiresAt - now();
          if (left > 0) return void (timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS)));
          if (ended) return;
          ended = true;
          reader.cancel('session expired').catch(() => {});
          controller.close();
        };
        arm();
      },
      async pull(controller) {
        const r = await reader.read();
        if (ended) return;
        if (r.done) {
          ended = true;
          clearTimeout(timer);
          controller.close();
        } else controller.enqueue(r.value);
      },
      cancel(reason) {
        ended = true;
        clearTimeout(timer);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}
