'use strict';

// `npm test` builds the app in development mode into dist-tests/ and runs the tests
// in headless Chromium (Debian's /usr/bin/chromium, or Chrome where that is
// what is installed: testem finds either by name).
const browser = process.env.TEST_BROWSER || 'Chromium';

const flags = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-software-rasterizer',
  '--mute-audio',
  '--remote-debugging-port=0',
  '--window-size=1440,900',
];

module.exports = {
  test_page: 'tests/index.html?hidepassed',
  // The test build has its own directory, so `npm test` never replaces the
  // production build in dist/ that Django serves.
  cwd: 'dist-tests',
  disable_watching: true,
  launch_in_ci: [browser],
  launch_in_dev: [browser],
  browser_start_timeout: 120,
  browser_disconnect_timeout: 120,
  browser_args: {
    [browser]: { ci: flags, dev: flags },
  },
};
