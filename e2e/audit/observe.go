package audit

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/debugger"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/consentry/consentry/consent"
)

// hookJS records which script writes each cookie and storage key; see the file.
//
//go:embed hook.js
var hookJS string

// bindingName is the DevTools binding hookJS reports through. The hook takes it off the global
// object before the page's scripts run.
const bindingName = "__consentryAudit"

// gpcJS makes navigator.globalPrivacyControl true, as a browser with the signal on does. Chromium
// does not implement the property (version 156, 2026), only extensions do; the header is set
// with Network.setExtraHTTPHeaders.
const gpcJS = `Object.defineProperty(Navigator.prototype, "globalPrivacyControl", {get: function () { return true; }, configurable: true, enumerable: true});`

// frameJS reads, in an isolated world of a frame, the frame's origin, its storage keys and (for
// the main frame) its links. An isolated world shares the DOM and storage with the page, not its
// JavaScript, so the page's own wrappers cannot change what the audit reads.
const frameJS = `(function () {
  function keys(area) {
    try {
      var s = self[area], out = [];
      for (var i = 0; i < s.length; i++) out.push(s.key(i));
      return out;
    } catch (e) {
      return [];
    }
  }
  var links = [];
  if (self === top) {
    var as = document.querySelectorAll("a[href], area[href]");
    for (var i = 0; i < as.length; i++) links.push(as[i].href);
  }
  return {origin: location.origin, local: keys("localStorage"), session: keys("sessionStorage"), links: links};
})()`

type frameState struct {
	Origin  string   `json:"origin"`
	Local   []string `json:"local"`
	Session []string `json:"session"`
	Links   []string `json:"links"`
}

// observe opens the page in a new tab of a new browser context and records the visit.
func observe(ctx context.Context, pageURL *url.URL, p *consent.Policy, state consent.State, s settings) (*observation, error) {
	rec := &recorder{inflight: map[network.RequestID]bool{}, requestURL: map[network.RequestID]string{},
		requestIndex: map[network.RequestID]int{}, dialogs: make(chan string, 1)}
	tctx, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(rec.listen))
	defer cancel()
	if err := chromedp.Do(tctx); err != nil { // opens the tab
		return nil, err
	}
	// An alert, confirm or prompt stops the page and every command sent to it until someone
	// answers; the audit dismisses each, as a visitor who closes it would.
	go func() {
		for {
			select {
			case <-tctx.Done():
				return
			case <-rec.dialogs:
				// An error means the dialog is gone already.
				_, _ = chromedp.Call(tctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			}
		}
	}()
	rec.mu.Lock()
	rec.mainFrame = cdp.FrameID(chromedp.FromContext(tctx).Target.TargetID)
	rec.mu.Unlock()

	obs := &observation{url: pageURL.String()}
	if err := chromedp.Do(tctx, prepare(p, state, pageURL, s.gpc, obs)); err != nil {
		return nil, err
	}
	obs.start = time.Now()
	rec.touch()
	nav, err := chromedp.Call(tctx, page.Navigate, page.NavigateParams{URL: pageURL.String()})
	if err != nil {
		return nil, err
	}
	if nav.ErrorText != "" {
		return nil, errors.New("loading the page: " + nav.ErrorText)
	}
	obs.notes = append(obs.notes, rec.settle(ctx, s.idle, obs.start.Add(s.limit))...)
	obs.end = time.Now()

	if err := collect(tctx, obs, s.screenshot); err != nil {
		return nil, err
	}
	urls := map[target.ID]string{}
	if infos, err := chromedp.Targets(tctx); err == nil {
		for _, info := range infos {
			urls[info.TargetID] = info.URL
		}
	}
	rec.fill(obs, urls)
	return obs, nil
}

// prepare sets the tab up before the first navigation: the probe, the consent cookie of the
// state, the GPC signal.
func prepare(p *consent.Policy, state consent.State, pageURL *url.URL, gpc bool, obs *observation) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		// Debugger.scriptParsed says which scripts ran: a request says only which were fetched.
		if _, err := cdp.Call(ctx, t, debugger.Enable, debugger.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, runtime.AddBinding, runtime.AddBindingParams{Name: bindingName}); err != nil {
			return err
		}
		hook := strings.Replace(hookJS, "})(BINDING);", `})("`+bindingName+`");`, 1)
		if _, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hook}); err != nil {
			return err
		}
		if gpc {
			if _, err := cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Sec-GPC": "1"}}); err != nil {
				return err
			}
			if _, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: gpcJS}); err != nil {
				return err
			}
		}
		if !state.Decided {
			return nil
		}
		// The consent cookie as the page writes it (consent.Policy.ConsentCookieLine): the
		// policy's name, Path=/, SameSite=Lax, Secure on https, the consent domain when the page
		// is under it, the policy's lifetime.
		now := time.Now()
		state.At = now.Unix()
		var random [9]byte
		rand.Read(random[:])
		state.ID = consent.ConsentID(random[:])
		secure := pageURL.Scheme == "https"
		params := network.SetCookieParams{
			Name:     p.Consent.Cookie,
			Value:    p.EncodeState(state),
			URL:      pageURL.Scheme + "://" + pageURL.Host + "/",
			Path:     "/",
			Secure:   &secure,
			SameSite: network.CookieSameSiteLax,
		}
		host := consent.NormalizeHost(pageURL.Host)
		if dom := p.Consent.Domain; dom != "" && (host == dom || strings.HasSuffix(host, "."+dom)) {
			// A leading dot makes it a domain cookie; without it, CDP makes a host-only one.
			params.Domain = "." + dom
		}
		if p.Consent.Lifetime > 0 {
			params.Expires = cdp.TimeSinceEpoch(float64(now.Unix() + p.Consent.Lifetime))
		}
		if _, err := cdp.Call(ctx, t, network.SetCookie, params); err != nil {
			return fmt.Errorf("setting the consent cookie: %w", err)
		}
		obs.consentCookie = p.Consent.Cookie
		return nil
	})
}

// collect reads the end state of the visit: the cookie jar, each frame's storage keys, the
// page's links and the screenshot.
func collect(tctx context.Context, obs *observation, screenshot bool) error {
	c := chromedp.FromContext(tctx)
	jar, err := chromedp.CallBrowser(tctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: c.BrowserContextID})
	if err != nil {
		return fmt.Errorf("reading the cookie jar: %w", err)
	}
	for _, ck := range jar.Cookies {
		expires := ck.Expires
		if ck.Session {
			expires = -1
		}
		obs.jar = append(obs.jar, observedCookie{name: ck.Name, domain: ck.Domain, path: ck.Path, expires: expires,
			httpOnly: ck.HTTPOnly, secure: ck.Secure, sameSite: string(ck.SameSite)})
	}

	tree, err := chromedp.Call(tctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return fmt.Errorf("reading the frames: %w", err)
	}
	var frames []*page.FrameTree
	var walk func(ft *page.FrameTree)
	walk = func(ft *page.FrameTree) {
		frames = append(frames, ft)
		for _, child := range ft.ChildFrames {
			walk(child)
		}
	}
	walk(tree.FrameTree)
	for i, ft := range frames {
		if !isHTTP(ft.Frame.URL) {
			continue // about:blank, srcdoc and data: frames share their parent's storage
		}
		if i > 0 {
			obs.frames = append(obs.frames, ft.Frame.URL)
		}
		world, err := chromedp.Call(tctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: ft.Frame.ID, WorldName: "consentry-audit"})
		if err != nil {
			obs.notes = append(obs.notes, "could not read the storage of frame "+ft.Frame.URL+": "+err.Error())
			continue
		}
		st, err := chromedp.Run(tctx, chromedp.Evaluate[frameState](frameJS, func(p *runtime.EvaluateParams) {
			p.ContextID = world.ExecutionContextID
		}))
		if err != nil {
			obs.notes = append(obs.notes, "could not read the storage of frame "+ft.Frame.URL+": "+err.Error())
			continue
		}
		if st.Origin == "" || st.Origin == "null" {
			continue // an opaque origin (sandboxed frame) has no storage of its own
		}
		for _, k := range st.Local {
			obs.storage = append(obs.storage, observedStorage{origin: st.Origin, area: "local", key: k})
		}
		for _, k := range st.Session {
			obs.storage = append(obs.storage, observedStorage{origin: st.Origin, area: "session", key: k})
		}
		if i == 0 {
			obs.links = st.Links
		}
	}

	if screenshot {
		quality := int64(70)
		shot, err := chromedp.Call(tctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format: page.CaptureScreenshotFormatJpeg, Quality: &quality})
		if err != nil {
			return fmt.Errorf("taking the screenshot: %w", err)
		}
		obs.screenshot = shot.Data
	}
	return nil
}

// recorder collects the events of one tab. Its listen method runs on chromedp's reading
// goroutine, so it only appends under the lock.
type recorder struct {
	mu        sync.Mutex
	mainFrame cdp.FrameID
	last      time.Time // the last activity
	loaded    bool      // the main frame's load event fired

	inflight     map[network.RequestID]bool
	requestURL   map[network.RequestID]string // the current URL of each request (after redirects)
	requestIndex map[network.RequestID]int    // its latest entry in requests
	requests     []observedRequest
	scripts      []string
	documents    []string
	frames       []string
	writes       []write
	finalURL     string
	status       int
	unobserved   []*target.Info // targets (cross-process frames, workers) whose events this tab does not get
	refused      int            // Set-Cookie lines the browser's third-party cookie setting refused
	dialogs      chan string    // dialogs to dismiss
	dialogNotes  []string
}

func (r *recorder) touch() {
	r.mu.Lock()
	r.last = time.Now()
	r.mu.Unlock()
}

func (r *recorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r.last = time.Now()
		main := ev.Type == network.ResourceTypeDocument && ev.FrameID == r.mainFrame
		r.requestURL[ev.RequestID] = ev.Request.URL
		r.requestIndex[ev.RequestID] = len(r.requests)
		r.requests = append(r.requests, observedRequest{url: ev.Request.URL, resourceType: string(ev.Type),
			initiator: initiatorURL(ev.Initiator), mainDocument: main})
		if ev.Type == network.ResourceTypeDocument {
			r.documents = append(r.documents, ev.Request.URL)
		}
		switch {
		case ev.Type == network.ResourceTypeEventSource || ev.Type == network.ResourceTypeWebSocket:
			// Long-lived by design: waiting for them would wait for the limit.
		case ev.Type == network.ResourceTypeDocument && ev.FrameID != r.mainFrame:
			// A cross-site frame's document may finish in another process, whose events this
			// tab does not get; the frame's own requests keep the page busy while they run.
		default:
			r.inflight[ev.RequestID] = true
		}
	case *network.EventResponseReceived:
		r.last = time.Now()
		if ev.Type == network.ResourceTypeDocument && ev.FrameID == r.mainFrame {
			r.status = int(ev.Response.Status)
		}
	case *network.EventResponseReceivedExtraInfo:
		r.last = time.Now()
		r.headerCookies(ev)
	case *network.EventLoadingFinished:
		r.last = time.Now()
		delete(r.inflight, ev.RequestID)
	case *network.EventLoadingFailed:
		r.last = time.Now()
		delete(r.inflight, ev.RequestID)
		if i, ok := r.requestIndex[ev.RequestID]; ok && ev.BlockedReason != "" {
			r.requests[i].blocked = string(ev.BlockedReason)
		}
	case *debugger.EventScriptParsed:
		if ev.URL != "" {
			r.last = time.Now()
			r.scripts = append(r.scripts, ev.URL)
		}
	case *runtime.EventBindingCalled:
		if ev.Name != bindingName {
			return
		}
		var w struct{ Kind, Name, Source string }
		if json.Unmarshal([]byte(ev.Payload), &w) != nil || (w.Kind != ItemCookie && w.Kind != ItemStorage) {
			return
		}
		r.last = time.Now()
		r.writes = append(r.writes, write{kind: w.Kind, setBy: SetByScript, name: w.Name, source: w.Source})
	case *page.EventFrameNavigated:
		r.last = time.Now()
		if ev.Frame.ParentID == "" {
			r.finalURL = ev.Frame.URL
		} else if isHTTP(ev.Frame.URL) {
			r.frames = append(r.frames, ev.Frame.URL)
		}
	case *page.EventJavascriptDialogOpening:
		r.dialogNotes = append(r.dialogNotes, fmt.Sprintf("the page opened a JavaScript %s (%q); the audit dismissed it", ev.Type, ev.Message))
		select {
		case r.dialogs <- ev.Message:
		default:
		}
	case *page.EventLoadEventFired:
		r.last = time.Now()
		r.loaded = true
	case *target.EventAttachedToTarget:
		if info := ev.TargetInfo; info != nil && info.Type != "page" {
			r.unobserved = append(r.unobserved, info)
		}
	}
}

// headerCookies records the Set-Cookie lines of a response that the browser stored (those it
// blocked are listed with their reasons and left out).
func (r *recorder) headerCookies(ev *network.EventResponseReceivedExtraInfo) {
	var blocked []string
	for _, b := range ev.BlockedCookies {
		blocked = append(blocked, b.CookieLine)
		if slices.Contains(b.BlockedReasons, network.SetCookieBlockedReasonUserPreferences) ||
			slices.Contains(b.BlockedReasons, network.SetCookieBlockedReasonThirdPartyPhaseout) {
			r.refused++
		}
	}
	for name, v := range ev.Headers {
		if !strings.EqualFold(name, "Set-Cookie") {
			continue
		}
		s, _ := v.(string)
		// Chromium joins repeated headers with "\n" (never with commas, which an Expires date
		// contains).
		for _, line := range strings.Split(s, "\n") {
			if line == "" || slices.Contains(blocked, line) {
				continue
			}
			sc := consent.ParseSetCookie(line)
			if !sc.Valid {
				continue
			}
			r.writes = append(r.writes, write{kind: ItemCookie, setBy: SetByHeader, name: sc.Name, source: r.requestURL[ev.RequestID]})
		}
	}
}

func initiatorURL(in *network.Initiator) string {
	if in == nil {
		return ""
	}
	if in.Stack != nil {
		for st := in.Stack; st != nil; st = st.Parent {
			for _, f := range st.CallFrames {
				if isHTTP(f.URL) {
					return f.URL
				}
			}
		}
	}
	return in.URL
}

// settle waits until the page has loaded and has been idle for idle with nothing in flight, or
// until the deadline, and returns notes on what did not finish.
func (r *recorder) settle(ctx context.Context, idle time.Duration, deadline time.Time) []string {
	tick := time.NewTicker(max(idle/10, 10*time.Millisecond))
	defer tick.Stop()
	for {
		r.mu.Lock()
		loaded, busy, last := r.loaded, len(r.inflight), r.last
		r.mu.Unlock()
		now := time.Now()
		if loaded && busy == 0 && now.Sub(last) >= idle {
			return nil
		}
		if now.After(deadline) {
			if !loaded {
				return []string{"the page did not fire its load event in time; it is reported as it was then"}
			}
			return []string{fmt.Sprintf("the page did not settle in time (%d requests in flight); it is reported as it was then", busy)}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// fill copies what the recorder saw into obs; urls are the current URLs of the browser's targets.
func (r *recorder) fill(obs *observation, urls map[target.ID]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	obs.requests = slices.Clone(r.requests)
	obs.scripts = slices.Clone(r.scripts)
	obs.documents = slices.Clone(r.documents)
	obs.frames = append(obs.frames, r.frames...)
	obs.writes = slices.Clone(r.writes)
	obs.status = r.status
	obs.finalURL = r.finalURL
	if obs.finalURL == "" {
		obs.finalURL = obs.url
	}
	obs.notes = append(obs.notes, r.dialogNotes...)
	if r.refused > 0 {
		obs.notes = append(obs.notes, fmt.Sprintf("the browser's settings refused %d third-party cookies set by headers; a default Chrome stores them (audit.NewBrowser's browser does)", r.refused))
	}
	var unobserved []string
	for _, info := range r.unobserved {
		u := info.URL
		if now, ok := urls[info.TargetID]; ok {
			u = now // a frame attaches before it knows its URL
		}
		unobserved = append(unobserved, info.Type+" "+u)
	}
	for _, u := range sortedUnique(unobserved) {
		obs.notes = append(obs.notes, "not observed (runs in a process of its own: its requests, scripts and writes are missing; audit.NewBrowser keeps frames in the page's process): "+u)
	}
}
