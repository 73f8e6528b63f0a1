// What must still happen when fleet quits at once (a second Ctrl-C): give back the locks. The
// first Ctrl-C lets the run end normally (its finally blocks release them); the second one
// calls process.exit, which skips those, so the locks register here and main.ts runs them first,
// bounded in time so that quitting "at once" stays true.
const cleanups = new Set<() => unknown>();

/** Register `cleanup` for a forced exit; call the returned function once it is no longer needed. */
export function onForcedExit(cleanup: () => unknown): () => void {
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

export async function runForcedExitCleanups(timeoutMs: number): Promise<void> {
  const all = Promise.allSettled([...cleanups].map(async (cleanup) => cleanup()));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
}
