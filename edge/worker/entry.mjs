// Consentry edge worker: the entry module (Cloudflare Workers, workerd).
//
// Everything that decides is Go (edge/cmd/worker, compiled to app.wasm, served through
// github.com/syumai/workers). This module does only what must be JavaScript, and replaces the
// library's own entry module for two reasons:
//
// 1. One Go instance per isolate. The library's entry starts a new Go instance for every request
//    (10–20 ms each). Here the instance is started on the first request and serves every later
//    one; Go's main never returns. If it ever exits (a crash), the next request starts a new one.
//
// 2. Headers cross the JS/Go boundary intact. The library converts JS Headers to Go by splitting
//    every value at commas, which breaks a Set-Cookie with an Expires date, an Accept list and a
//    cookie value that contains a comma. So the true header lists travel beside the library, in
//    `boundary`: the request's as the worker got them, the origin's response's with each
//    Set-Cookie line on its own (Headers.getSetCookie()). The library carries only a key to them,
//    in the x-consentry-boundary header, and the Go side (edge/cmd/worker/boundary.go) swaps the
//    true lists in. Go to JS needs no help: the library appends each Go value on its own.
//
// The list format is "name\nvalue\nname\nvalue..." (a header can hold no newline), one string, so
// that Go reads it with one call.

import "./wasm_exec.js";
import wasm from "./app.wasm";

const KEY = "x-consentry-boundary";

// The boundary object is what Go sees as globalThis.context.consentry.
const boundary = {
  seq: 0,
  requests: new Map(),
  responses: new Map(),
  instances: 0, // Go instances started by this isolate (shown by the tests: two requests, one instance)
  timeoutMs: 30000, // the origin's response header deadline; Go sets it from CONSENTRY_TIMEOUT

  // takeRequest and takeResponse hand a parked header list to Go, once.
  takeRequest(id) {
    const h = this.requests.get(id);
    this.requests.delete(id);
    return h;
  },
  takeResponse(id) {
    const h = this.responses.get(id);
    this.responses.delete(id);
    return h;
  },

  // fetch is the namespace of the library's fetch transport (cloudflare/fetch WithBinding): the
  // runtime's fetch with a deadline on the response headers, whose headers are parked for Go.
  async fetch(request, init) {
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.timeoutMs);
    let res;
    try {
      res = await fetch(request, { ...init, signal: abort.signal });
    } catch (e) {
      throw new Error((timedOut ? "consentry-timeout: " : "consentry-unreachable: ") + e);
    } finally {
      clearTimeout(timer);
    }
    const id = String(++this.seq);
    this.responses.set(id, headerList(res.headers));
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers: [[KEY, id]] });
  },
};

function headerList(headers) {
  let s = "";
  for (const [name, value] of headers) {
    if (name !== "set-cookie") s += name + "\n" + value + "\n";
  }
  for (const line of headers.getSetCookie()) s += "set-cookie\n" + line + "\n";
  return s;
}

// The library's JS helpers expect these globals: `context` (read once, when Go starts) and
// `tryCatch`.
globalThis.tryCatch = (fn) => {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: e };
  }
};

let go = null; // { binding, ready, exited }

function start(env, ctx) {
  const binding = {};
  globalThis.context = { env, ctx, binding, consentry: boundary };
  const runtime = new Go();
  let ready;
  const state = { binding, ready: new Promise((r) => (ready = r)), exited: false };
  const instance = new WebAssembly.Instance(wasm, { ...runtime.importObject, workers: { ready: () => ready() } });
  boundary.instances++;
  // One line per Go instance, so that logs (and the tests) show how often one is started.
  console.log(`consentry: Go instance ${boundary.instances} started`);
  runtime.run(instance).finally(() => {
    state.exited = true;
    console.log(`consentry: Go instance ${boundary.instances} exited`);
  });
  return state;
}

export default {
  async fetch(request, env, ctx) {
    if (go === null || go.exited) go = start(env, ctx);
    await go.ready;
    const id = String(++boundary.seq);
    boundary.requests.set(id, headerList(request.headers));
    // The library reads url, method, headers (through entries()) and body; give it only the key.
    return go.binding.handleRequest({
      url: request.url,
      method: request.method,
      headers: { entries: () => [[KEY, id]] },
      body: request.body,
    });
  },
};
