// vanilla-cookieconsent v3 on the bench page, configured as its docs ask for "block until
// consent": opt-in, one category per category of demo/policies/huma.json, the vendor tags marked
// with type="text/plain" data-category="..." (internal/bench/pages.go writes them so).
// hideFromBots is off only because the benchmark's browser is automated (navigator.webdriver):
// with it on, the banner would never show in the benchmark.
CookieConsent.run({
  mode: "opt-in",
  hideFromBots: false,
  guiOptions: { consentModal: { layout: "box", position: "bottom right" } },
  categories: {
    necessary: { enabled: true, readOnly: true },
    functionality: {},
    marketing: {},
    analytics: {},
    advertising: {}
  },
  language: {
    default: "en",
    translations: {
      en: {
        consentModal: {
          title: "We use cookies",
          description: "Fjord Outfitters uses cookies for the site to work, and, with your consent, for analytics, marketing and advertising.",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          showPreferencesBtn: "Preferences"
        },
        preferencesModal: {
          title: "Cookie preferences",
          acceptAllBtn: "Accept all",
          acceptNecessaryBtn: "Reject all",
          savePreferencesBtn: "Save choices",
          sections: [
            { title: "Essential cookies", description: "These cookies make the site work.", linkedCategory: "necessary" },
            { title: "Performance and functionality cookies", description: "Live chat and remembered settings.", linkedCategory: "functionality" },
            { title: "Marketing cookies", description: "Account-based marketing.", linkedCategory: "marketing" },
            { title: "Analytics and customization cookies", description: "How the site is used.", linkedCategory: "analytics" },
            { title: "Advertising cookies", description: "Interest-based advertising.", linkedCategory: "advertising" }
          ]
        }
      }
    }
  }
});
