// How a throttled request reaches the worker pool it runs in, without every store, client and
// transfer function passing a callback down: the pool runs each task inside an async context that
// holds its listener (AsyncLocalStorage follows the task through its awaits, timers and sockets),
// and a retry that saw 503 SlowDown, 429 or a dropped connection calls `reportThrottle()`. Pools
// inside pools (a file's multipart parts inside a sync's files) chain: the innermost listener runs
// first, then the enclosing one, so every level narrows. Outside any pool the report goes nowhere.
import { AsyncLocalStorage } from "node:async_hooks";

type ThrottleListener = () => void;

/**
 * The one store of listeners lives on globalThis, made on first use: a dynamic provider's serialized
 * closure gives each function its own copy of a module variable (so the pool and the retry would
 * not share one), and would capture a store made at import as a plain object.
 */
const STORE_KEY = "__skymountThrottleListeners";

function listenerStore(): AsyncLocalStorage<ThrottleListener> {
    const global = globalThis as { [STORE_KEY]?: AsyncLocalStorage<ThrottleListener> };
    return (global[STORE_KEY] ??= new AsyncLocalStorage<ThrottleListener>());
}

/** Runs `fn` with `listener` told of every throttled request made inside it (after any inner listener). */
export function withThrottleListener<T>(listener: ThrottleListener, fn: () => T): T {
    const listeners = listenerStore();
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
    listenerStore().getStore()?.();
}
