// Consentry edge worker: the entry module (Cloudflare Workers, workerd).
//
// Everything that decides is Go (edge/cmd/worker, compiled to app.wasm, served through
// github.com/syumai/workers). This module does only what must be JavaScript, and replaces the
// library's own entry module for three reasons:
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
//    The list format is "name\nvalue\nname\nvalue..." (a header can hold no newline), one
//    string, so that Go reads it with one call.
//
// 3. Bodies cross the boundary only where Go changes them, and cheaply. The library copies a body
//    through Go with a promise, two callbacks and a copy per chunk each way. Instead, Go gives the
//    library a stream of this module's as the response's body (edge/cmd/worker/bodies.go): the
//    origin's own body, piped on untouched (passOn), when the edge leaves it as it is (anything
//    but HTML); or a stream that Go writes as it rewrites (openBody, write, close, abort),
//    reading the origin's body from its reader (read).

import "./wasm_exec.js";
import wasm from "./app.wasm";

const KEY = "x-consentry-boundary";
const CHUNK = 64 << 10; // the size of the buffers of the chunks Go writes

// The boundary object is what Go sees as globalThis.context.consentry.
const boundary = {
  seq: 0,
  requests: new Map(),
  responses: new Map(),
  instances: 0, // Go instances started by this isolate (shown by the tests: two requests, one instance)
  timeoutMs: 30000, // the origin's response header deadline; Go sets it from CONSENTRY_TIMEOUT
  buffers: [], // of chunks the runtime has taken, for chunk()

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

  // The body helpers (edge/cmd/worker/bodies.go). Go calls them as functions (no `this`). Their
  // promises always resolve, to a value or to an error's message, so that Go awaits each with one
  // callback.

  // passOn returns the origin's body for the visitor's response, piped (natively: no JavaScript
  // runs per chunk) rather than handed over, so that a body the origin breaks off is seen here:
  // workerd (2025-11-18) ends a response whose body fails as if it were complete, so the stream
  // is errored and the failure logged, as Go does for the bodies it writes. A visitor who leaves
  // cancels the pipe, which is no failure of the origin's. A length < 0 is unknown.
  passOn(origin, length) {
    const { readable, writable } = length >= 0 ? new FixedLengthStream(length) : new IdentityTransformStream();
    origin.pipeTo(writable).catch(async (e) => {
      try {
        await origin.getReader().closed; // canceled for the visitor who left: closed
      } catch {
        console.error(`consentry: response aborted: the origin's body failed: ${e}`);
      }
    });
    return readable;
  },
  // openBody returns a stream for a body Go writes: its readable side, and a writer.
  openBody(length) {
    const { readable, writable } = length >= 0 ? new FixedLengthStream(length) : new IdentityTransformStream();
    return { readable, writer: writable.getWriter() };
  },
  // reader returns a reader of an origin's body for read: a BYOB reader where the stream has one,
  // which gives everything that has arrived (up to 64 KB) at once. The default reader gives what
  // the runtime read from the socket in one go, 4 KB with workerd (2025-11-18), and each chunk
  // costs Go a promise.
  reader(stream) {
    try {
      return { byob: stream.getReader({ mode: "byob" }), buf: new ArrayBuffer(64 << 10) };
    } catch {
      return { reader: stream.getReader() };
    }
  },
  // read resolves to the reader's next chunk, null at the end, or an error's message.
  read(r) {
    const next = r.byob ? r.byob.read(new Uint8Array(r.buf)) : r.reader.read();
    return next.then(
      ({ done, value }) => {
        if (done) return null;
        if (r.byob) r.buf = value.buffer; // the buffer comes back with the chunk: read into it again
        return value;
      },
      (e) => String(e),
    );
  },
  // chunk returns a Uint8Array of n bytes for Go to fill and write. Its buffer is one the
  // runtime has taken the chunk of (write), where there is one: a new buffer per chunk would make
  // garbage as large as the body, which V8 collects late (edgebench saw 20 MB of growth while
  // 100 MB of HTML streamed through).
  chunk(n) {
    if (n > CHUNK) return new Uint8Array(n);
    return new Uint8Array(boundary.buffers.pop() ?? new ArrayBuffer(CHUNK), 0, n);
  },
  // write returns a promise that resolves once the chunk is taken (the stream's reader has copied
  // it: workerd leaves the chunk attached and unused), to null, or to an error's message.
  write(writer, chunk) {
    return writer.write(chunk).then(
      () => {
        if (chunk.buffer.byteLength === CHUNK && boundary.buffers.length < 16) boundary.buffers.push(chunk.buffer);
        return null;
      },
      (e) => String(e),
    );
  },
  close(writer) {
    writer.close().catch(() => {});
  },
  abort(writer, reason) {
    writer.abort(new Error(reason)).catch(() => {});
  },
  // cancel cancels what is left of an origin's body that Go drops: a stream, or a reader's.
  cancel(s) {
    (s.byob || s.reader || s).cancel().catch(() => {});
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
