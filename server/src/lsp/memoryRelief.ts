// Closing a big document leaves its text, tree and findings as garbage that V8 keeps (and RSS with it) until
// it is short of memory; after big closes we ask for one full collection so the server shrinks back.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this a closed document is not worth a full collection (a GC pause costs more than it frees). */
export const BIG_DOCUMENT_CHARS = 1_000_000;
/** Closes often come in bursts (a window closing): collect once, after the burst. */
const COLLECT_DELAY_MS = 500;

let collect: (() => void) | null | undefined;

/** V8's gc(), exposed at run time (the server is started by clients we do not control, without --expose-gc). */
function fullCollector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') collect = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  } catch {
    collect = null; // a runtime without the flag: V8's own heuristics then decide
  }
  return collect;
}

export class MemoryRelief {
  private timer: NodeJS.Timeout | undefined;

  /** Call when a document of `chars` characters was closed and its state dropped. */
  closed(chars: number): void {
    if (chars < BIG_DOCUMENT_CHARS) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      fullCollector()?.();
    }, COLLECT_DELAY_MS);
    // Never keep the process alive just to collect garbage.
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
