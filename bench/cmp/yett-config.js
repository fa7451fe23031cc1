// yett on the bench page, as its docs ask: a blacklist of the vendors' hosts set inline before
// yett loads, and the vendor tags left as pasted. (yett has no banner; it blocks scripts only.)
window.YETT_BLACKLIST = [
  /www\.googletagmanager\.com/, /google-analytics\.com/,
  /connect\.facebook\.net/, /www\.facebook\.com/,
  /js\.hs-scripts\.com/, /js\.hs-analytics\.net/, /track\.hubspot\.com/,
  /clarity\.ms/,
  /widget\.intercom\.io/, /intercom\.io/,
  /cdn\.segment\.com/, /api\.segment\.io/,
  /lfeeder\.com/,
  /www\.youtube\.com/
];
