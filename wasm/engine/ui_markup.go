//go:build js && wasm

package main

// markup is the static markup of every part of the UI, parsed once into a <template> and cloned
// per use. It holds no data: the policy's texts go in with textContent and setAttribute (ui.go),
// so they can never become markup. Elements marked data-t="KEY" get the banner text KEY as their
// text, data-l="KEY" as their aria-label (localize); data-a="ACTION" names what a click does (one
// listener per shadow root, see act); data-p names a part.
//
// The first layer's body is the same in the bar (a non-modal dialog: not a <dialog> opened with
// show(), which would move focus into it even from a field the visitor is typing in) and in the
// modal variant (a native <dialog>, opened with showModal: the page becomes inert, Tab stays
// inside). Accept all and Reject all are the same element with the same class, side by side in
// equal grid columns: neither is the easier choice (EDPB guidelines 03/2022 on deceptive design
// patterns).
const layerBody = `<h2 id="cy-t" data-t="title"></h2>` +
	`<p id="cy-d"><span data-t="description"></span> <a data-t="cookiePolicy" data-href></a></p>` +
	`<p id="cy-g" class="gpc"></p>` +
	`<div class="bt"><button type="button" class="b" data-a="accept" data-t="acceptAll"></button>` +
	`<button type="button" class="b" data-a="reject" data-t="rejectAll"></button>` +
	`<button type="button" class="b s" data-a="prefs" data-t="preferences"></button></div>`

const markup = `<div data-p="bar" class="ly" role="dialog" aria-modal="false" tabindex="-1" aria-labelledby="cy-t" aria-describedby="cy-d">` +
	layerBody + `</div>` +
	`<dialog data-p="modal" class="ly" tabindex="-1" aria-labelledby="cy-t" aria-describedby="cy-d">` +
	layerBody + `</dialog>` +

	// The preferences dialog.
	`<dialog data-p="prefs" class="dlg" tabindex="-1" aria-labelledby="cy-pt" aria-describedby="cy-pd">` +
	`<div class="hd"><h2 id="cy-pt" data-t="preferencesTitle"></h2>` +
	`<button type="button" class="x" data-a="close" data-l="close"><span aria-hidden="true">×</span></button></div>` +
	`<div class="bd"><p id="cy-pd"><span data-t="preferencesDescription"></span> <a data-t="cookiePolicy" data-href></a></p>` +
	`<p class="gpc"></p></div>` +
	`<div class="ft"><button type="button" class="b" data-a="accept" data-t="acceptAll"></button>` +
	`<button type="button" class="b" data-a="reject" data-t="rejectAll"></button>` +
	`<button type="button" class="b" data-a="save" data-t="save"></button></div></dialog>` +

	// A category: heading, note, switch; description; its services.
	`<section data-p="cat" class="cat"><div class="row"><h3></h3><span class="note"></span>` +
	`<input type="checkbox" role="switch" class="sw"></div><p></p>` +
	`<details><summary></summary></details></section>` +

	// A service: heading and switch; description; privacy policy.
	`<div data-p="svc" class="svc"><div class="row"><h4></h4><input type="checkbox" role="switch" class="sw"></div>` +
	`<p></p><p><a target="_blank" rel="noopener noreferrer"></a></p></div>` +

	`<table data-p="table"><caption></caption><thead><tr><th scope="col" data-t="name"></th>` +
	`<th scope="col" data-t="expiry"></th><th scope="col" data-t="purpose"></th></tr></thead><tbody></tbody></table>` +
	`<table><tbody><tr data-p="tr"><td><code></code></td><td></td><td></td></tr></tbody></table>` +

	// A click-to-load placeholder.
	`<div data-p="ph" class="ph" role="group" aria-labelledby="cy-ph"><p id="cy-ph"></p><p></p>` +
	`<div class="bt"><button type="button" class="b" data-a="once" data-t="loadOnce"></button>` +
	`<button type="button" class="b s" data-a="always"></button></div></div>` +

	// The floating button: a cookie with a bite taken out and three crumbs.
	`<button data-p="fab" type="button" class="fab" data-a="prefs" data-l="reopen">` +
	`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 2a10 10 0 1 0 10 10 4 4 0 0 1-5-5 4 4 0 0 1-5-5zm-4.5 8a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm6 4a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3zm-5 4a1 1 0 1 1 0 2 1 1 0 0 1 0-2z"/></svg></button>`
