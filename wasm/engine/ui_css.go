//go:build js && wasm

package main

// css is the one style sheet of every Consentry element: the banner, the preferences dialog, the
// floating button and the placeholders. Each lives in a shadow root of its own with this sheet, so
// that the site's CSS cannot reach in and this CSS cannot reach out; only the --consentry-*
// custom properties cross the boundary (they inherit), which is how a site themes them
// (wasm/banner/README.section.md lists them). The hosts reset everything the page's CSS could set
// on them (all: initial, !important: an important rule of the shadow root wins over the page's).
//
// The defaults meet WCAG 2.2 AA contrast in both schemes (text 4.5:1 and more, focus ring 3:1);
// motion is off under prefers-reduced-motion; the layouts hold from 320 CSS pixels up, which is
// also a 1280 px window at 400 % zoom.
const css = `:host([data-consentry-ui]),:host([data-consentry-reopen]){all:initial!important}
:host([data-consentry-placeholder]){all:initial!important;display:block!important;box-sizing:border-box!important;width:var(--cy-w,auto)!important;max-width:100%!important;min-height:var(--cy-h,auto)!important}
:host{--bg:var(--consentry-bg,#fff);--fg:var(--consentry-fg,#1f2328);--muted:var(--consentry-muted,#57606a);--accent:var(--consentry-accent,#1a56db);--on-accent:var(--consentry-on-accent,#fff);--line:var(--consentry-border,#c8d0d8);--soft:var(--consentry-surface,#f3f5f7);--focus:var(--consentry-focus,#1a56db);--radius:var(--consentry-radius,12px);--btn-radius:var(--consentry-button-radius,8px);--font:var(--consentry-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);--shadow:var(--consentry-shadow,0 6px 28px rgb(0 0 0/.2));--z:var(--consentry-z-index,2147483000)}
@media (prefers-color-scheme:dark){.ly,.dlg,.ph{color-scheme:dark}:host{--bg:var(--consentry-bg,#1c2026);--fg:var(--consentry-fg,#e6edf3);--muted:var(--consentry-muted,#a4afbb);--accent:var(--consentry-accent,#86b0ff);--on-accent:var(--consentry-on-accent,#0b1220);--line:var(--consentry-border,#444c56);--soft:var(--consentry-surface,#272c34);--focus:var(--consentry-focus,#a8c7ff);--shadow:var(--consentry-shadow,0 6px 28px rgb(0 0 0/.6))}}
*{box-sizing:border-box}
.ly,.dlg,.fab,.ph{font-family:var(--font);font-size:medium;line-height:1.5;color:var(--fg);background:var(--bg);text-align:start;-webkit-text-size-adjust:100%}
.ly{position:fixed;z-index:var(--z);left:.75rem;right:.75rem;bottom:.75rem;margin:0 auto;max-width:62rem;max-height:calc(100vh - 1.5rem);overflow:auto;padding:1.25rem 1.5rem;border:1px solid var(--line);border-radius:var(--radius);box-shadow:var(--shadow)}
dialog.ly{inset:0;margin:auto;height:fit-content;width:calc(100% - 1.5rem);max-width:36rem}
dialog{padding:0;color:var(--fg);background:var(--bg)}
dialog::backdrop{background:rgb(0 0 0/.55)}
h2{margin:0 0 .5rem;font-size:1.25em;line-height:1.3}
h3,h4{margin:0;font-size:1em;line-height:1.4}
p{margin:0 0 .75rem}
a{color:var(--accent);text-decoration:underline;text-underline-offset:2px}
.gpc{padding:.5rem .75rem;border-inline-start:4px solid var(--accent);background:var(--soft);border-radius:4px}
.bt{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.5rem;margin-top:1rem}
.b{font:inherit;font-weight:600;line-height:1.25;min-height:2.75rem;padding:.625rem 1rem;margin:0;border:2px solid var(--accent);border-radius:var(--btn-radius);background:var(--accent);color:var(--on-accent);cursor:pointer;text-align:center}
.b.s{background:transparent;color:var(--accent)}
.b:hover{box-shadow:inset 0 0 0 2px var(--on-accent)}
.b.s:hover{box-shadow:inset 0 0 0 1px var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.ly:focus,.dlg:focus{outline:none}
.dlg{border:1px solid var(--line);width:calc(100% - 1.5rem);max-width:44rem;max-height:calc(100% - 1.5rem);border-radius:var(--radius);box-shadow:var(--shadow);overflow:hidden}
.dlg[open]{display:flex;flex-direction:column}
.hd{display:flex;align-items:center;gap:1rem;padding:.75rem .75rem .75rem 1.5rem;border-bottom:1px solid var(--line)}
.hd h2{margin:0;flex:1}
.x{font:inherit;font-size:1.75em;line-height:1;width:2.75rem;height:2.75rem;margin:0;padding:0;border:0;border-radius:var(--btn-radius);background:transparent;color:var(--fg);cursor:pointer;flex:none}
.x:hover{background:var(--soft)}
.bd{padding:1rem 1.5rem;overflow:auto;flex:1 1 auto;overscroll-behavior:contain}
.ft{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:.5rem;padding:1rem 1.5rem;border-top:1px solid var(--line)}
.cat{border:1px solid var(--line);border-radius:8px;padding:1rem;margin:0 0 .75rem}
.cat>p{margin:.5rem 0 0}
.row{display:flex;align-items:center;gap:.75rem}
.row>h3,.row>h4{flex:1}
.note{color:var(--muted);font-size:.875em}
.sw{-webkit-appearance:none;appearance:none;flex:none;position:relative;margin:0;width:2.75rem;height:1.5rem;border-radius:.75rem;background:var(--muted);cursor:pointer}
.sw::before{content:"";position:absolute;top:.1875rem;left:.1875rem;width:1.125rem;height:1.125rem;border-radius:50%;background:var(--bg)}
.sw:checked{background:var(--accent)}
.sw:checked::before{transform:translateX(1.25rem)}
.sw:disabled{cursor:not-allowed;opacity:.6}
details{margin-top:.5rem}
summary{cursor:pointer;color:var(--accent);font-weight:600;padding:.25rem 0;width:fit-content}
.svc{border-top:1px solid var(--line);padding-top:.75rem;margin-top:.75rem}
.svc p{margin:.25rem 0}
table{width:100%;table-layout:fixed;border-collapse:collapse;margin:.5rem 0 0;font-size:.875em}
th:first-child{width:34%}th:nth-child(2){width:26%}
caption{text-align:start;font-weight:600;padding:.25rem 0}
th,td{text-align:start;vertical-align:top;padding:.375rem .75rem .375rem 0;border-bottom:1px solid var(--line);overflow-wrap:anywhere;hyphens:auto}
th{font-weight:600}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em;overflow-wrap:anywhere}
.fab{position:fixed;z-index:var(--z);left:1rem;bottom:1rem;width:3rem;height:3rem;margin:0;padding:0;border-radius:50%;border:2px solid var(--accent);color:var(--accent);cursor:pointer;box-shadow:var(--shadow);display:grid;place-items:center}
.fab svg{width:1.75rem;height:1.75rem;fill:currentColor}
.ph{display:flex;flex-direction:column;justify-content:center;gap:.5rem;min-height:inherit;padding:1.25rem;border:1px dashed var(--muted);border-radius:8px;background:var(--soft)}
.ph p{margin:0}
.ph .bt{grid-template-columns:repeat(auto-fit,minmax(min(100%,11rem),1fr));margin-top:.25rem}
@media (max-width:40em){.bt,.ft{grid-template-columns:1fr 1fr}.bt>:last-child,.ft>:last-child{grid-column:1/-1}.ly{left:.5rem;right:.5rem;bottom:.5rem;padding:1rem;max-height:calc(100vh - 1rem)}.hd{padding-left:1rem}.bd,.ft{padding-left:1rem;padding-right:1rem}}
@media (prefers-reduced-motion:no-preference){div.ly{animation:cy-up .3s cubic-bezier(.2,.8,.2,1)}.sw,.sw::before{transition:background .15s,transform .15s}}
@keyframes cy-up{from{transform:translateY(1.5rem)}}
@media (forced-colors:active){.sw{border:2px solid ButtonText}.sw:checked{background:Highlight}.b{border-color:ButtonText}}`
