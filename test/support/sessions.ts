/**
 * "No session left" for the reliability suites: polls a server-side session count until it is zero. A closed or
 * killed session is reaped by the server asynchronously, and on a loaded 2-core machine that once took more than
 * the 10 s the suites used to wait; a session the auditor leaked stays open for as long as this test process
 * lives (its socket is held here), so a longer window never hides a leak — it only stops timing from failing.
 */
export const SESSION_WINDOW_MS = 60_000;

/** 0 once `count()` reads zero within `windowMs`, else the last count (the caller asserts 0). */
export async function untilNoSession(count: () => Promise<number>, windowMs = SESSION_WINDOW_MS): Promise<number> {
  const end = Date.now() + windowMs;
  let wait = 50;
  for (;;) {
    const n = await count();
    if (n === 0 || Date.now() >= end) return n;
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(1000, wait * 2);
  }
}
