# workerd configuration of the Consentry edge worker, used by the tests (edge/workerd_test.go) and
# by `make edge-workerd`. It runs offline: everything it needs is embedded or passed in.
#
#   workerd serve workerd.capnp --socket-addr http=127.0.0.1:8787 --directory-path assets=DIR
#
# with, in the environment, CONSENTRY_ORIGIN (the origin's URL), CONSENTRY_POLICY (the policy file's
# JSON) and optionally CONSENTRY_TIMEOUT, CONSENTRY_MINIFY. entry.mjs, wasm_exec.js (from
# $(go env GOROOT)/lib/wasm) and app.wasm (GOOS=js GOARCH=wasm go build ./edge/cmd/worker) must be
# beside this file.

using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "edge", worker = .edge),
    # The origin is on this machine in tests: allow loopback and private addresses.
    (name = "origin", network = (allow = ["public", "private", "local"])),
    # The page module's files, standing in for Workers static assets (the ASSETS binding).
    (name = "assets", disk = (path = "assets", writable = false)),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:8787", http = (), service = "edge"),
  ],
);

const edge :Workerd.Worker = (
  modules = [
    (name = "entry.mjs", esModule = embed "entry.mjs"),
    (name = "wasm_exec.js", esModule = embed "wasm_exec.js"),
    (name = "app.wasm", wasm = embed "app.wasm"),
  ],
  compatibilityDate = "2025-11-01",
  bindings = [
    (name = "CONSENTRY_ORIGIN", fromEnvironment = "CONSENTRY_ORIGIN"),
    (name = "CONSENTRY_POLICY", fromEnvironment = "CONSENTRY_POLICY"),
    (name = "CONSENTRY_TIMEOUT", fromEnvironment = "CONSENTRY_TIMEOUT"),
    (name = "CONSENTRY_MINIFY", fromEnvironment = "CONSENTRY_MINIFY"),
    (name = "ASSETS", service = "assets"),
  ],
  globalOutbound = "origin",
);
