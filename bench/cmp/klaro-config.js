// Klaro on the bench page, configured as its docs ask for "block until consent": every service
// off by default, one purpose per category of demo/policies/huma.json, the vendor tags rewritten to
// type="text/plain" data-type data-name data-src (internal/bench/pages.go writes them so).
var klaroConfig = {
  version: 1,
  elementID: "klaro",
  storageMethod: "cookie",
  cookieName: "klaro",
  cookieExpiresAfterDays: 365,
  default: false,
  mustConsent: false,
  acceptAll: true,
  hideDeclineAll: false,
  groupByPurpose: true,
  lang: "en",
  translations: {
    en: {
      privacyPolicyUrl: "/cookie-policy",
      purposes: {
        functionality: "Performance and functionality",
        marketing: "Marketing",
        analytics: "Analytics and customization",
        advertising: "Advertising"
      }
    }
  },
  services: [
    { name: "google-analytics", title: "Google Analytics", purposes: ["analytics"], cookies: [/^_ga/] },
    { name: "clarity", title: "Microsoft Clarity", purposes: ["analytics"], cookies: ["_clck", "_clsk"] },
    { name: "segment", title: "Segment", purposes: ["analytics"], cookies: [/^ajs_/] },
    { name: "meta-pixel", title: "Meta pixel", purposes: ["advertising"], cookies: ["_fbp"] },
    { name: "hubspot", title: "HubSpot", purposes: ["marketing"], cookies: ["hubspotutk", /^__hs/] },
    { name: "leadfeeder", title: "Leadfeeder", purposes: ["marketing"], cookies: ["_lfa"] },
    { name: "youtube", title: "YouTube", purposes: ["marketing"] },
    { name: "intercom", title: "Intercom", purposes: ["functionality"], cookies: [/^intercom-/] }
  ]
};
