// How a throttled request reaches the worker pool it runs in, without every store, client and
// transfer function passing a callback down: the pool runs each task inside an async context that
// holds its listener (AsyncLocalStorage follows the task through its awaits, timers and sockets),
// and a retry that saw 503 SlowDown, 429 or a dropped connection calls `reportThrottle()`. Pools
// inside pools (a file's multipart parts inside a sync's files) chain: the innermost listener runs
// first, then the enclosing one, so every level narrows. Outside any pool the report goes nowhere.
import { AsyncLocalStorage } from "node:async_hooks";

type ThrottleListener = () => void;

const listeners = new AsyncLocalStorage<ThrottleListener>();

/** Runs `fn` with `listener` told of every throttled request made inside it (after any inner listener). */
export function withThrottleListener<T>(listener: ThrottleListener, fn: () => T): T {
    const outer = listeners.getStore();
    const chained = outer
        ? () => {
              listener();
              outer();
          }
        : listener;
    return listeners.run(chained, fn);
}

/** Tells the pools this code runs in that the server throttled a request. */
export function reportThrottle(): void {
    listeners.getStore()?.();
}
